"""The Jinja2 environment shared by every renderer, and template errors as content errors.

Templates in `layouts/` are the designer's: they get a strict environment (an undefined
variable is an error, not an empty string), autoescaping, the gettext `_()` function and
a few filters for things templates cannot do themselves (locale-aware dates, CSS strings).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date
from markupsafe import Markup

from pressroom.content.model import plain_text
from pressroom.core.errors import Problems
from pressroom.core.files import Bundle
from pressroom.core.locales import content_direction, text_direction
from pressroom.core.usercache import cache_folder, keep, read_kept
from pressroom.render.bidi import isolate, isolate_text
from pressroom.translation.catalogs import UIStrings


def css_string(text: str) -> Markup:
    """Quote text for a CSS `content:` value."""
    # "<" is escaped too, so a translated string can never close the <style> element.
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
        .replace("<", "\\3C ")
    )
    return Markup(f'"{escaped}"')


def css_counters(text: str) -> Markup:
    """Turn "Page {page} of {pages}" into `"Page " counter(page) " of " counter(pages)`.

    Translators write one whole sentence with placeholders, so word order can change
    per language; the layout decides where it goes.
    """
    parts = []
    for piece in re.split(r"(\{\w+\})", text):
        if re.fullmatch(r"\{\w+\}", piece):
            parts.append(f"counter({piece[1:-1]})")
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts) or '""')


class _SharedBytecode(jinja2.BytecodeCache):
    """Compiled templates, shared by every environment of the process and kept for the
    next process in the user's cache folder (core/usercache.py).

    Each publication gets its own environment (its language's strings and dates), but
    compiling the layouts again for each one was a fifth of a build's time. And every
    build, preview and PDF worker is a new process: compiling the leaflet's layout took
    70 ms of the way to an author's rebuilt leaflet, loading it compiled 1 ms. Jinja
    checks the source's checksum on every load, so an edited layout is compiled again;
    the key also names what else the compiled code depends on (`_compiled_with`).
    """

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def get_bucket(self, environment: jinja2.Environment, name: str,
                   filename: str | None, source: str) -> jinja2.bccache.Bucket:
        key = hashlib.sha256(
            f"{self.get_cache_key(name, filename)}\0{_compiled_with(environment)}".encode()
        ).hexdigest()[:40]
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._store.get(bucket.key)
        if code is None and (path := _kept(bucket.key)) is not None:
            code = read_kept(path)
        if code is None:
            return
        try:
            bucket.bytecode_from_string(code)  # checks Jinja's version and the checksum
        except Exception:  # a damaged file (cut short, say): compiled again, and replaced
            bucket.reset()
        if bucket.code is not None:
            self._store[bucket.key] = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._store[bucket.key] = bucket.bytecode_to_string()
        if (path := _kept(bucket.key)) is not None:
            keep(path, code)


#: Under the user's cache folder: one file per template and environment (the checksum
#: of the template's text inside).
FOLDER = "templates"


def _kept(key: str) -> Path | None:
    folder = cache_folder(FOLDER)
    return None if folder is None else folder / f"{key}.jinja"


def _compiled_with(env: jinja2.Environment) -> str:
    """What Jinja's compiled code depends on besides the source: Jinja's version is in
    its own header; the syntax options, the extensions (gettext's new style), and the
    filters and tests a template may name (checked when it is compiled)."""
    return repr((env.autoescape, env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline,
                 env.newline_sequence, env.block_start_string, env.variable_start_string,
                 env.comment_start_string, env.line_statement_prefix,
                 sorted(env.extensions), getattr(env, "newstyle_gettext", None),
                 sorted(env.filters), sorted(env.tests)))


_BYTECODE = _SharedBytecode()


#: The folder of the project the layouts come from, as bundles name it.
LAYOUTS = "layouts/"


class BundleLoader(jinja2.BaseLoader):
    """Templates from the job's bundle (`layouts/…`), never from the disk."""

    def __init__(self, bundle: Bundle, prefix: str = LAYOUTS) -> None:
        self.bundle = bundle
        self.prefix = prefix

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        name = f"{self.prefix}{template}"
        text = self.bundle.text(name)
        if text is None:
            raise jinja2.TemplateNotFound(template)
        return text, name, lambda: True

    def list_templates(self) -> list[str]:
        return [n.removeprefix(self.prefix) for n in self.bundle.under(self.prefix)]


_ENVIRONMENTS: dict[tuple[str, str, tuple[tuple[str, str], ...]], jinja2.Environment] = {}


def _environment(bundle: Bundle, language: str, strings: tuple[tuple[str, str], ...]
                 ) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=BundleLoader(bundle),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_BYTECODE,
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        UIStrings(dict(strings)), newstyle=True
    )
    locale = Locale.parse(language, sep="-")

    def date_filter(value: dt.date | str, format: str = "long") -> str:
        if isinstance(value, str):  # as listings carry it (plain values: YYYY-MM-DD)
            value = dt.date.fromisoformat(value)
        # A date is one unit: never broken across lines ("20 / November 2029").
        return format_date(value, format, locale=locale).replace(" ", "\u00a0")

    def file_size(kilobytes: int) -> str:
        from babel.units import format_unit  # CLDR unit data: only when a page is rendered

        return format_unit(kilobytes, "digital-kilobyte", "short", locale=locale)

    env.filters["date"] = date_filter
    env.filters["file_size"] = file_size
    env.filters["css_string"] = css_string
    env.filters["css_counters"] = css_counters
    env.filters["plain"] = plain_text
    env.filters["text_dir"] = lambda text: content_direction(str(text), "ltr")
    # A run that must read left to right whatever the page's direction (phone numbers).
    env.filters["ltr"] = lambda text: Markup('<span dir="ltr">%s</span>') % text
    env.filters["direction"] = lambda blocks: content_direction(
        " ".join(plain_text(b.children) for b in blocks if hasattr(b, "children")), "ltr"
    )
    # Left-to-right runs (brand names, references, URLs) laid out as one unit on a
    # right-to-left page: `isolate` for inline content, `bidi` for plain text (bidi.py).
    direction = text_direction(language)
    env.filters["isolate"] = lambda nodes: isolate(nodes, direction)
    env.filters["bidi"] = lambda text: isolate_text(text, direction)
    return env


def make_environment(
    bundle: Bundle, language: str, strings: Mapping[str, str] | None = None
) -> jinja2.Environment:
    """`strings` are the language's UI translations (translation/catalogs.py); none means
    English."""
    layouts = Bundle({n: bundle.names[n] for n in bundle.under(LAYOUTS)}, bundle.blobs)
    # Kept per layouts, language and strings: a worker renders many jobs of each, and an
    # environment keeps its compiled templates.
    key = (layouts.fingerprint(), language, tuple(sorted((strings or {}).items())))
    env = _ENVIRONMENTS.get(key)
    if env is None:
        if len(_ENVIRONMENTS) >= 64:  # a long-lived preview must not grow without bound
            _ENVIRONMENTS.clear()
        env = _ENVIRONMENTS[key] = _environment(layouts, key[1], key[2])
    return env


def render_template(
    env: jinja2.Environment, name: str, context: dict[str, Any], article: Path,
    problems: Problems,
) -> str | None:
    """Render, turning a designer's template mistake into a `path:line` error."""
    return _guarded(lambda: env.get_template(name).render(context), env, name, article,
                    problems)


def labels(env: jinja2.Environment, context: dict[str, Any], article: Path,
           problems: Problems) -> Any | None:
    """The words renderers need outside a page (metadata, cover, print file title), from
    `layouts/labels.j2`, so they are translated and restyled like every other word."""
    return _guarded(lambda: env.get_template(LABELS).make_module(context), env, LABELS,
                    article, problems)


LABELS = "labels.j2"


def _guarded(call: Callable[[], Any], env: jinja2.Environment, name: str, article: Path,
             problems: Problems) -> Any | None:
    try:
        return call()
    except jinja2.TemplateSyntaxError as exc:
        path = Path(exc.filename) if exc.filename else Path(LAYOUTS, name)
        problems.error(path, exc.lineno, f"template syntax error: {exc.message}")
    except jinja2.TemplateNotFound as exc:
        problems.error(article, None, f"layout '{exc.name}' not found in layouts/")
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc, env)
        problems.error(path or article, line, f"template error: {exc.message}")
    return None


def _template_frame(exc: BaseException, env: jinja2.Environment) -> tuple[Path | None, int | None]:
    """The innermost template file and line in a Jinja traceback, if any."""
    found: tuple[Path | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:
            found = (Path(template.filename), template.get_corresponding_lineno(tb.tb_lineno))
        elif filename.endswith((".j2", ".html")):
            found = (Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found
