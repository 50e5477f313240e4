/* Pressroom web edition: enhancements only. Every page works without this script.
   - The checklist keeps its ticks on this device (localStorage), per page and item.
   - "Print this checklist" prints the checklist alone (see the print rules of site.css).
   No inline handlers: the pages run under a strict Content-Security-Policy. */
(function () {
  "use strict";

  function storageKey(box) {
    return "pressroom:" + location.pathname + ":" + box.name;
  }

  function remember(box) {
    try {
      if (box.checked) {
        localStorage.setItem(storageKey(box), "1");
      } else {
        localStorage.removeItem(storageKey(box));
      }
    } catch (error) {
      /* Storage can be off (private browsing): the boxes still tick. */
    }
  }

  function restore(box) {
    try {
      box.checked = localStorage.getItem(storageKey(box)) === "1";
    } catch (error) {
      /* Nothing saved can be read: start empty. */
    }
  }

  function setUp() {
    var boxes = document.querySelectorAll(".checklist-form input[type=checkbox]");
    Array.prototype.forEach.call(boxes, function (box) {
      restore(box);
      box.addEventListener("change", function () { remember(box); });
    });

    var action = document.querySelector(".print-action");
    var button = document.querySelector(".print-checklist");
    if (action && button && window.print) {
      action.hidden = false;
      button.addEventListener("click", function () {
        document.documentElement.classList.add("print-checklist-only");
        window.print();
      });
      window.addEventListener("afterprint", function () {
        document.documentElement.classList.remove("print-checklist-only");
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
