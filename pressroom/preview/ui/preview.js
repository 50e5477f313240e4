/* The live preview: reload the page when a new build is written (keeping the scroll
   position), and swap the proof images when the printed proof is ready. */
(function () {
  "use strict";
  /* The place the author was reading: the first element with an id at or below the top
     of the window, and how far down the window it was. After the reload the same element
     goes back to the same height, whatever changed above it. */
  var KEY = "pressroom-preview-scroll:" + location.pathname;

  function place() {
    var marked = document.querySelectorAll("main [id]");
    for (var i = 0; i < marked.length; i++) {
      var top = marked[i].getBoundingClientRect().top;
      if (top >= 0) { return {y: window.scrollY, id: marked[i].id, top: top}; }
    }
    return {y: window.scrollY, id: null, top: 0};
  }

  var saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    history.scrollRestoration = "manual";
    sessionStorage.removeItem(KEY);
    var where = JSON.parse(saved);
    /* Restore once images have their size, or the text below them would be off. */
    var restore = function () {
      var element = where.id && document.getElementById(where.id);
      if (element) {
        window.scrollTo(0, window.scrollY + element.getBoundingClientRect().top - where.top);
      } else {
        window.scrollTo(0, where.y);
      }
    };
    if (document.readyState === "complete") { restore(); }
    else { window.addEventListener("load", restore); }
  }

  function panelNumber(name) {
    var panel = document.getElementById("pressroom-preview");
    return panel ? parseInt(panel.getAttribute(name), 10) || 0 : 0;
  }

  function panelBuild() { return panelNumber("data-build"); }

  function replacePanel() {
    fetch("/__preview__/panel?page=" + encodeURIComponent(location.pathname), {cache: "no-store"})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var panel = document.getElementById("pressroom-preview");
        if (panel) { panel.outerHTML = html; }
      });
  }

  /* Say which build this page shows: one that finished while it loaded comes at once. */
  var events = new EventSource("/__preview__/events?build=" + panelBuild() +
                               "&proof=" + panelNumber("data-proof") +
                               "&panel=" + panelNumber("data-panel"));
  events.addEventListener("page", function (event) {
    var data = JSON.parse(event.data);
    if (data.build > panelBuild()) {
      sessionStorage.setItem(KEY, JSON.stringify(place()));
      location.reload();
    }
  });
  events.addEventListener("proof", function () { replacePanel(); });
  events.addEventListener("panel", function () { replacePanel(); });
})();
