"""When the collection step may take a search index begun before the build wrote its
pages (render/web/search.py: `HeadStart.holds`, `as_indexed`)."""

from __future__ import annotations

import hashlib
from concurrent.futures import Future
from pathlib import Path

import pytest

from pressroom.render.web.search import HeadStart, as_indexed


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


VIEW = (b'<html lang="en"><head><title>A</title></head><body>\n'
        b'<article data-pagefind-body><h1>Cramps</h1>\n<p>Stretch the calf.</p>\n</article>\n'
        b'</body></html>')
#: The page as written: the view, with a downloads box the index ignores.
PAGE = VIEW.replace(b"</article>\n", b'</article>\n<section data-pagefind-ignore><h2>Download'
                    b'</h2><a href="a.pdf">PDF, 212 KB</a></section>\n')
B = b"<html><body><p>Page b</p></body></html>"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "a.html").write_bytes(PAGE)
    (tmp_path / "en" / "b.html").write_bytes(B)
    return tmp_path


#: Page a, rewritten by the build (given as its search view; before the build its digest
#: was "last"); page b given as written.
BEGUN = HeadStart({"en/a.html": VIEW, "en/b.html": B}, {"en/a.html": sha(b"last")}, Future())


def test_the_pages_as_given_hold(out: Path) -> None:
    assert BEGUN.holds([("en/a.html", sha(PAGE)), ("en/b.html", sha(B))], out)


def test_a_page_the_build_did_not_rewrite_does_not_hold(out: Path) -> None:
    """Its job failed: the page stays as it was, and it is not what its view says."""
    assert not BEGUN.holds([("en/a.html", sha(b"last")), ("en/b.html", sha(B))], out)


def test_a_page_changed_since_it_was_given_does_not_hold(out: Path) -> None:
    assert not BEGUN.holds([("en/a.html", sha(PAGE)), ("en/b.html", sha(b"<b, new>"))], out)


def test_a_page_more_or_fewer_does_not_hold(out: Path) -> None:
    a, b = ("en/a.html", sha(PAGE)), ("en/b.html", sha(B))
    assert not BEGUN.holds([a], out)
    assert not BEGUN.holds([a, b, ("en/c.html", sha(b"<c page>"))], out)


def test_a_page_written_with_more_to_index_than_its_view_does_not_hold(out: Path) -> None:
    """A layout of the project's own that shows the leaflet's size in the indexed text."""
    shown = VIEW.replace(b"</article>", b"<p>PDF, 212 KB</p></article>")
    (out / "en" / "a.html").write_bytes(shown)
    assert not BEGUN.holds([("en/a.html", sha(shown)), ("en/b.html", sha(B))], out)


def test_a_new_page_holds_once_written(out: Path) -> None:
    begun = HeadStart({"en/a.html": VIEW}, {"en/a.html": ""}, Future())
    assert begun.holds([("en/a.html", sha(PAGE))], out)


@pytest.mark.parametrize(("page", "alike"), [
    (PAGE, True),  # the ignored box, and the whitespace around it
    (VIEW.replace(b"<p>Stretch", b"<p>Stretch\n  "), True),  # more whitespace, as much
    (VIEW.replace(b"<h1>", b"<h1> "), False),  # whitespace where there was none
    (VIEW.replace(b"calf", b"thigh"), False),  # the text
    (VIEW.replace(b"<h1>", b'<h1 data-pagefind-weight="2">'), False),  # an attribute
    (VIEW.replace(b"</article>", b'<p data-pagefind-ignore data-pagefind-meta="size:1">x</p>'
                  b"</article>"), False),  # Pagefind reads meta in an ignored part
    (VIEW.replace(b"calf.</p>", b"calf.</p><p data-pagefind-ignore>x</p>"), True),
    (VIEW.replace(b"the calf", b"the<span data-pagefind-ignore>x</span>calf"), True),
    (VIEW.replace(b"the calf", b"the<span data-pagefind-ignore>x</span> calf"), True),
    (VIEW.replace(b"the calf", b"th<span data-pagefind-ignore>x</span>e calf"), False),
])
def test_what_pagefind_reads_of_a_page(page: bytes, alike: bool) -> None:
    assert (as_indexed(page) == as_indexed(VIEW)) is alike


def test_cancel_stops_a_pagefind_still_running() -> None:
    """A build that ends (or is interrupted) before its collection step does not wait for
    the index it began: the program is killed (here a stand-in that would run a minute)."""
    import threading

    from pressroom.core import processes

    begun = HeadStart({}, {}, Future())
    finished: list[int] = []

    def index() -> None:
        finished.append(processes.run(["sleep", "60"], 120, started=begun.running.append)
                        .returncode)

    thread = threading.Thread(target=index)
    thread.start()
    for _ in range(500):
        if begun.running:
            break
        threading.Event().wait(0.01)
    begun.cancel()
    thread.join(timeout=30)
    assert not thread.is_alive() and finished and finished[0] != 0
