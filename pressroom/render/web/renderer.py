"""The web renderer: `out/` becomes a static site that can be copied to any host as it is.

Per article and locale (default edition only: the page offers every edition's files),
`<locale>/<slug>.html` — the same content model and `_content` macros as the leaflet
and the ebook — and `<locale>/<slug>.cover.png` (with a `.thumbnail.png`) for link
previews and reading apps. Its jobs run after
the PDFs and EPUBs (`AFTER`), so each page's downloads box can give every file's size
and page count. The collection step writes what spans articles: each locale's index, the
language chooser, the sitemap, the 404 page, the stylesheet and scripts (content-hashed
names, so they can be cached for ever), the articles' images (by content), each
locale's search page and search index (search.py) and the OPDS catalogue (opds.py).

Pages link to each other relatively (the site works from any folder, and from
`python -m http.server -d out`); canonical links, the sitemap and Open Graph use the
site's `base_url`. No inline script: the pages work with JavaScript off and under a
strict Content-Security-Policy; `site.js` only enhances (saved ticks, printing the
checklist).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from pressroom.content.resolve import Publication
from pressroom.core.errors import Problems
from pressroom.core.files import Bundle, digest_of
from pressroom.editions.config import Edition, Site
from pressroom.render.protocol import (
    Collected,
    Library,
    LibraryEntry,
    Output,
    PageContext,
    RenderJob,
    Written,
)
from pressroom.render.web import browse, opds, search, sitemap

MEDIA_TYPE = "text/html"
#: Pages are quick to make; they list the leaflets' and ebooks' files, so come after.
HEAVY = False
AFTER: tuple[str, ...] = ("pdf", "epub")
STYLESHEET = "styles/site.css"
SCRIPT = "styles/site.js"
SEARCH_SCRIPT = "styles/search.js"
ICON = "styles/favicon.svg"
COVER_SPEC = "styles/cover.yaml"
#: Width of the cover's thumbnail (reading apps' lists), in pixels.
THUMBNAIL_WIDTH = 300


def outputs(locale: str, slug: str, edition: Edition) -> tuple[Output, ...]:
    if not edition.is_default:
        return ()
    return (
        Output(f"{locale}/{slug}.html", "html", "page", MEDIA_TYPE, locale, slug, edition.name),
        Output(f"{locale}/{slug}.cover.png", "html", "cover", "image/png", locale, slug,
               edition.name),
        Output(f"{locale}/{slug}.thumbnail.png", "html", "thumbnail", "image/png", locale,
               slug, edition.name),
    )


def prepare() -> None:
    from pressroom.render import templating  # noqa: F401


def hashed(bundle: Bundle, name: str) -> str:
    """`assets/site.1a2b3c4d5e.css`: a name that changes when the file does."""
    data = bundle.read(name)
    digest = digest_of(data or b"")[:10]
    path = PurePosixPath(name)
    return f"assets/{path.stem}.{digest}{path.suffix}"


def _environment(bundle: Bundle, pub_language: str, strings: Any) -> Any:
    from pressroom.render.templating import make_environment

    return make_environment(bundle, pub_language, strings)


def _common(bundle: Bundle, site: Site, root: str) -> dict[str, Any]:
    """What every page's layout needs: where the site's files are from this page. The
    search box and the catalogue link are the page's own choice (`search_box`, `feed`)."""
    from pressroom.core.locales import text_direction

    return {
        "root": root, "site": site, "stylesheet": root + hashed(bundle, STYLESHEET),
        "script": root + hashed(bundle, SCRIPT), "icon": root + hashed(bundle, ICON),
        "absolute": lambda path: _absolute(site, path),
        "language_name": language_name, "direction_of": text_direction,
        "search_box": False, "feed": "", "feed_kind": "",
    }


def _feed(root: str, locale: str) -> str:
    from pressroom.render.web.opds import feed_path

    return root + feed_path(locale)


def _absolute(site: Site, path: str) -> str:
    return f"{site.base_url}/{path}" if site.base_url else ""


def language_name(tag: str) -> str:
    """A language by its own name, as a reader looking for it would recognise it."""
    from babel import Locale

    name = Locale.parse(tag, sep="-").get_display_name(Locale.parse(tag, sep="-")) or tag
    return name[:1].upper() + name[1:]


# --- the article page -----------------------------------------------------------------


def render(job: RenderJob, problems: Problems) -> dict[str, bytes] | None:
    from pressroom.render.cover import CoverText, cover_png, load_spec, thumbnail_png
    from pressroom.render.templating import labels

    pub, bundle = job.publication, job.bundle
    page = job.page or PageContext(Site())
    path = pub.article.path
    env = _environment(bundle, pub.language, pub.strings)
    words = labels(env, {"meta": pub.meta}, path, problems)
    spec = load_spec(COVER_SPEC, bundle.text(COVER_SPEC), problems)
    for name in (STYLESHEET, SCRIPT, ICON, SEARCH_SCRIPT):
        if bundle.read(name) is None:
            problems.error(path, None, f"'{name}' not found (the site's stylesheet, script"
                           " and icon)")
    if words is None or spec is None or problems.errors:
        return None
    html = _article_page(job, page, env, problems)
    if html is None:
        return None
    html_output, cover_output = job.output("page"), job.output("cover")
    thumbnail_output = job.output("thumbnail")
    cover = CoverText(str(words.cover_kicker), pub.meta.title, pub.meta.subtitle,
                      page.site.name or pub.meta.publisher, pub.language, pub.direction)
    cover_image = cover_png(cover, spec)
    return {html_output.path: html.encode("utf-8"), cover_output.path: cover_image,
            thumbnail_output.path: thumbnail_png(cover, spec, THUMBNAIL_WIDTH)}


def _article_page(job: RenderJob, page: PageContext, env: Any, problems: Problems
                  ) -> str | None:
    from pressroom.render.templating import render_template

    pub = job.publication
    html_output, cover_output = job.output("page"), job.output("cover")
    context = {
        **_common(job.bundle, page.site, "../"),
        "pub": pub, "meta": pub.meta, "article": pub.article, "epub": False,
        "heading_base": 1, "link_href": str,
        "asset_url": lambda image: "../" + job.assets[image.path],
        "page": page, "downloads": _downloads(page.downloads),
        "languages": page.languages, "path": html_output.path,
        "cover": PurePosixPath(cover_output.path).name,
        "canonical": _absolute(page.site, html_output.path),
        "cover_url": _absolute(page.site, cover_output.path),
        "json_ld": lambda: _json_ld(pub, page.site, html_output.path),
        "search_box": True, "feed": _feed("../", pub.language),
    }
    return render_template(env, "web/article.html.j2", context, pub.article.path, problems)


def search_view(job: RenderJob) -> bytes | None:
    """The article's page as the search index reads it, made before the files it offers
    exist: the page without its downloads box (which the layout marks
    `data-pagefind-ignore`), so Pagefind indexes this and the page as written alike
    (search.py compares what it reads of both before using an index begun from this)."""
    pub = job.publication
    page = dataclasses.replace(job.page or PageContext(Site()), downloads=())
    try:
        html = _article_page(job, page, _environment(job.bundle, pub.language, pub.strings),
                             Problems())
    except Exception:  # a layout of the project's own that needs its downloads: the
        return None    # index waits for the page, and the page's render reports it
    return None if html is None else html.encode("utf-8")


def head_start(library: Library, jobs: Sequence[RenderJob]) -> None:
    """Each locale's search index, begun while the leaflets are still being laid out
    (search.py: `HeadStart`): from the pages of `jobs` (those this build will write) as
    the index reads them, and the other pages as written."""
    search.head_start(library, jobs, search_view)


def _downloads(written: Sequence[Written]) -> list[dict[str, Any]]:
    """Each file as the downloads box lists it: what it is, its size (formatted by the
    layout's `file_size`), its pages."""
    return [{"href": PurePosixPath(item.output.path).name, "kind": item.output.kind,
             "format": item.output.format, "edition": item.edition, "pages": item.pages,
             "kilobytes": max(1, round(item.size / 1024))} for item in written]


def _json_ld(pub: Publication, site: Site, path: str) -> str:
    """schema.org MedicalWebPage: what search engines and health portals read."""
    meta = pub.meta
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "MedicalWebPage",
        "name": meta.title, "inLanguage": pub.language,
        "about": {"@type": "MedicalCondition", "name": meta.title},
    }
    if meta.summary:
        data["description"] = meta.summary
    if meta.reviewed:
        data["lastReviewed"] = meta.reviewed.isoformat()
    if meta.published:
        data["datePublished"] = meta.published.isoformat()
    if meta.keywords:
        data["keywords"] = ", ".join(meta.keywords)
    if meta.publisher or site.name:
        data["publisher"] = {"@type": "Organization", "name": site.name or meta.publisher}
    if meta.authors:
        data["author"] = [{"@type": "Organization", "name": a} for a in meta.authors]
    if site.base_url:
        data["url"] = f"{site.base_url}/{path}"
    # "</" may not appear inside a <script> element, whatever its type.
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


# --- the collection step --------------------------------------------------------------


def collect(library: Library) -> Sequence[Collected]:
    """Each locale's browsing pages (browse.py: index, letters, topics, what's new), search
    page and index, the OPDS feeds, the language chooser, the sitemap (sitemap.py), the
    404 page, the stylesheet and scripts, and the articles' images."""
    pages = [e for e in library.entries if e.edition.is_default
             and any(w.output.kind == "page" for w in e.written)]
    bundle, site = library.bundle, library.site
    by_locale: dict[str, list[LibraryEntry]] = {}
    for entry in sorted(pages, key=lambda e: (e.publication.language,
                                              e.publication.meta.title.casefold())):
        by_locale.setdefault(entry.publication.language, []).append(entry)
    if not by_locale:
        return []  # no page yet: no site around it
    collected = list(site_files(bundle, [e.publication for e in pages]))
    locales = sorted(by_locale)
    site_pages: dict[str, list[str]] = {}
    for locale, entries in by_locale.items():
        strings = entries[0].publication.strings
        pubs = [e.publication for e in entries]
        site_pages[locale] = [f"{p.article.slug}.html" for p in pubs]
        for listing in browse.listings(locale, pubs, library.topics, locales):
            if listing.media_type == MEDIA_TYPE:
                site_pages[locale].append(listing.path.removeprefix(f"{locale}/"))
            collected.append(_page(
                bundle, site, listing.path, listing.template, locale, strings, listing.root,
                {**listing.context, "search_box": True, "feed": _feed(listing.root, locale)},
                media_type=listing.media_type))
        collected.append(_page(
            bundle, site, f"{locale}/search.html", "web/search.html.j2", locale, strings,
            "../", {"locales": sorted(by_locale), "feed": _feed("../", locale),
                    "bundle": "../" + search.folder(locale),
                    "search_script": "../" + hashed(bundle, SEARCH_SCRIPT)}))
    collected += search.collect(library, pages)
    for feed in opds.feeds(library, by_locale):
        collected.append(_page(bundle, site, feed.path, feed.template, feed.language,
                               feed.strings, "../", feed.context,
                               media_type="application/atom+xml"))
    first = _source_locale(by_locale)
    collected.append(_page(bundle, site, "index.html", "web/languages.html.j2", first,
                           by_locale[first][0].publication.strings, "",
                           {"locales": sorted(by_locale), "feed": opds.index_path(),
                            "feed_kind": "navigation"}))
    collected.append(_page(bundle, site, "404.html", "web/404.html.j2", first, {},
                           _site_root(site), {"locales": sorted(by_locale)}))
    if site.base_url:
        for part in sitemap.files(sitemap.pages(site_pages), site.base_url):
            collected.append(_page(bundle, site, part.path, part.template, first, {}, "",
                                   part.context, media_type="application/xml"))
    return collected


def _source_locale(by_locale: dict[str, list[LibraryEntry]]) -> str:
    """The language the library is written in (the one most articles are translated
    from; on a tie, Pressroom's default source, then the first tag), which the root page
    speaks: not the first locale in alphabetical order."""
    from collections import Counter

    from pressroom.translation.origin import DEFAULT_SOURCE, source_locale

    named = Counter(source_locale(e.publication.article)
                    for entries in by_locale.values() for e in entries)
    ranked = sorted(named.items(),
                    key=lambda item: (-item[1], item[0] != DEFAULT_SOURCE, item[0]))
    for locale, _count in ranked:
        if locale in by_locale:
            return locale
    return sorted(by_locale)[0]


def _site_root(site: Site) -> str:
    """The 404 page is served at any address: its links are the site's full addresses."""
    return f"{site.base_url}/" if site.base_url else "/"


def _page(bundle: Bundle, site: Site, path: str, template: str, language: str,
          strings: Any, root: str, context: dict[str, Any],
          media_type: str = MEDIA_TYPE) -> Collected:
    from pressroom.core.locales import text_direction

    full = {**_common(bundle, site, root), "lang": language, "dir": text_direction(language),
            "path": path, **context}
    layouts = Bundle({n: bundle.names[n] for n in bundle.under("layouts/")}, bundle.blobs)
    inputs = hashlib.sha256(repr((template, language, sorted(strings.items()),
                                  layouts.fingerprint(), hashed(bundle, STYLESHEET),
                                  hashed(bundle, SCRIPT), hashed(bundle, ICON), site,
                                  _stable(context)))
                            .encode()).hexdigest()

    def render_page(problems: Problems) -> bytes | None:
        from pressroom.render.templating import render_template

        env = _environment(bundle, language, strings)
        text = render_template(env, template, full, Path("layouts", template), problems)
        return None if text is None else text.encode("utf-8")

    output = Output(path, "html", "index", media_type, language if "/" in path else "")
    return Collected(output, inputs, render_page)


def _stable(value: Any) -> Any:
    """What a collected page shows, as plain values, for its inputs digest."""
    if isinstance(value, dict):
        return sorted((k, _stable(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return [_stable(v) for v in value]
    if isinstance(value, Publication):
        return (value.language, value.article.slug, value.meta.title, value.meta.summary,
                value.meta.reviewed, value.meta.review_due, value.meta.published)
    return value


def site_files(bundle: Bundle, pubs: Sequence[Publication]) -> list[Collected]:
    """What these articles' pages link to: the stylesheet, the scripts, the icon and the
    articles' images. Collected with the site; the preview also serves them before its
    site step has run, so a page is never shown unstyled or without its pictures."""
    return [_asset(bundle, STYLESHEET, "text/css"),
            _asset(bundle, SCRIPT, "text/javascript"),
            _asset(bundle, SEARCH_SCRIPT, "text/javascript"),
            _asset(bundle, ICON, "image/svg+xml"), *_images(pubs)]


def _asset(bundle: Bundle, name: str, media_type: str) -> Collected:
    data = bundle.read(name) or b""
    output = Output(hashed(bundle, name), "html", "asset", media_type)
    return Collected(output, digest_of(data), lambda problems: data)


def _images(pubs: Sequence[Publication]) -> list[Collected]:
    """The articles' images, once each, under their content's name (`assets/1a2b….png`)."""
    from pressroom.core.files import FileStore, asset_name

    store = FileStore()
    seen: dict[str, Collected] = {}
    for pub in pubs:
        for image in pub.images:
            try:
                digest, data = store.read(image)
            except OSError:
                continue  # gone since the page was built: the next build reports it
            name = asset_name(digest, image.suffix)
            if name not in seen:
                output = Output(name, "html", "asset", _image_type(image.suffix))
                seen[name] = Collected(output, digest, lambda problems, data=data: data)
    return list(seen.values())


def _image_type(suffix: str) -> str:
    import mimetypes

    return mimetypes.guess_type(f"x{suffix}")[0] or "application/octet-stream"
