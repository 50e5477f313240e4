"""Where the default layouts and styles are: inside the installed package, or the checkout.

A project overrides a default by putting a file of the same name in its own `layouts/`
or `styles/` (as Sphinx's `templates_path` and mkdocs' `custom_dir` do); everything else
comes from here. The defaults are kept at the repository's root (`layouts/`, `styles/`),
where designers and translators edit them, and the wheel carries them as package data
under `pressroom/defaults/` (pyproject.toml's `force-include`). So an installed Pressroom
reads them from the package, and one run from the checkout (`python publish.py`, an
editable install) from the root folders themselves.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

#: The package's root folder.
PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: The folder kinds a project may override, file by file.
KINDS = ("layouts", "styles")


@cache
def defaults_root() -> Path:
    """The folder holding `layouts/` and `styles/`: the installed package's
    `defaults/`, else the source checkout the package is imported from."""
    installed = PACKAGE_DIR / "defaults"
    if (installed / "layouts").is_dir():
        return installed
    return PACKAGE_DIR.parent


def default_dir(kind: str) -> Path:
    """The default `layouts` or `styles` folder (it may be missing from a broken install:
    every file is then reported missing by name, as in a project without it)."""
    return defaults_root() / kind
