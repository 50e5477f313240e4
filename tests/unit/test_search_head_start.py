"""When the collection step may take a search index begun before the build wrote its
pages (render/web/search.py: `HeadStart.holds`)."""

from __future__ import annotations

import hashlib
from concurrent.futures import Future

from pressroom.render.web.search import HeadStart


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: Page a, rewritten by the build (given as its search view; "old" before the build);
#: page b given as written.
BEGUN = HeadStart({"en/a.html": b"<a view>", "en/b.html": b"<b page>"},
                  {"en/a.html": sha(b"<a page, last build>")}, Future())


def test_the_pages_as_given_hold() -> None:
    assert BEGUN.holds([("en/a.html", sha(b"<a page, this build>")),
                        ("en/b.html", sha(b"<b page>"))])


def test_a_page_the_build_did_not_rewrite_does_not_hold() -> None:
    """Its job failed: the page stays as it was, and it is not what its view says."""
    assert not BEGUN.holds([("en/a.html", sha(b"<a page, last build>")),
                            ("en/b.html", sha(b"<b page>"))])


def test_a_page_changed_since_it_was_given_does_not_hold() -> None:
    assert not BEGUN.holds([("en/a.html", sha(b"<a page, this build>")),
                            ("en/b.html", sha(b"<b page, rewritten>"))])


def test_a_page_more_or_fewer_does_not_hold() -> None:
    a, b = ("en/a.html", sha(b"<a page, this build>")), ("en/b.html", sha(b"<b page>"))
    assert not BEGUN.holds([a])
    assert not BEGUN.holds([a, b, ("en/c.html", sha(b"<c page>"))])


def test_a_new_page_holds_once_written() -> None:
    begun = HeadStart({"en/new.html": b"<view>"}, {"en/new.html": ""}, Future())
    assert begun.holds([("en/new.html", sha(b"<the page>"))])
