"""The site: the public address of every output, and what a QR code opens.

`editions.yaml`'s `site` section gives the address the output folder is published at;
an output's public address is that plus the path its renderer declared. A QR code
template that starts with `{base_url}` must name a file the site really has — checked
against the renderers' declarations, so a renamed output cannot leave every printed
leaflet pointing at a missing page.
"""

from __future__ import annotations

from dataclasses import replace

from pressroom.core.errors import Problems
from pressroom.editions.config import Edition, EditionsConfig
from pressroom.render.protocol import Output, declared

BASE = "{base_url}/"
#: Stand-ins used to check a QR template against the declarations.
_SAMPLE = ("xx", "sample")


def target(config: EditionsConfig, template: str, locale: str, slug: str) -> Output | None:
    """The output of the site a QR template opens for this article (None: another site)."""
    if not template.startswith(BASE):
        return None
    path = template.removeprefix(BASE).replace("{locale}", locale).replace("{slug}", slug)
    for edition in config.editions.values():
        for output in declared(locale, slug, edition):
            if output.path == path:
                return output
    return None


def links(config: EditionsConfig, edition: Edition, locale: str, slug: str) -> dict[str, str]:
    """Public addresses the layouts print for this article in this edition: the QR
    code's (`qr`) and what it opens (`qr_kind`: the output's kind, "" for elsewhere)."""
    if not edition.qr:
        return {}
    opened = target(config, edition.qr, locale, slug)
    return {"qr": edition.qr_url(locale, slug, config.site.base_url),
            "qr_kind": opened.kind if opened else ""}


def check_editions(config: EditionsConfig, problems: Problems) -> None:
    """What an editions.yaml can get wrong only against the renderers' declarations: two
    editions that would write the same file (an edition named `print` would overwrite
    the default edition's booklet, `<slug>.print.pdf`), and QR templates naming files
    the site does not have."""
    owners: dict[str, str] = {}
    for name, edition in config.editions.items():
        if edition.formats and not declared(*_SAMPLE, edition):
            would = [o.path.replace("xx/sample", "<slug>")
                     for o in declared(*_SAMPLE, replace(edition, formats=()))]
            problems.error(
                config.path or "editions.yaml",  # type: ignore[arg-type]
                config.lines.get((name, "formats")),
                f"edition '{name}' writes nothing: it has no {' or '.join(edition.formats)}"
                f" output (without 'formats' it writes {', '.join(would) or 'nothing'})")
        for output in declared(*_SAMPLE, edition):
            other = owners.setdefault(output.path, name)
            if other != name:
                problems.error(
                    config.path or "editions.yaml",  # type: ignore[arg-type]
                    config.lines.get((name, "")),
                    f"edition '{name}' would write the same files as edition '{other}'"
                    f" ({output.path.replace('xx/sample', '<locale>/<slug>')}): choose"
                    " another name")
                break
    check_qr_targets(config, problems)


def check_qr_targets(config: EditionsConfig, problems: Problems) -> None:
    """Every `{base_url}/…` QR template names a file the site has."""
    for name, edition in config.editions.items():
        if not edition.qr.startswith(BASE) or target(config, edition.qr, *_SAMPLE):
            continue
        problems.error(
            config.path or "editions.yaml", config.lines.get((name, "qr")),  # type: ignore[arg-type]
            f"'qr' names '{edition.qr.removeprefix(BASE)}', which the site does not have:"
            " use one of its files, e.g. '{base_url}/{locale}/{slug}.html' (the article's"
            " page) or '{base_url}/{locale}/{slug}.epub'")
