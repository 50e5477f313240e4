"""Where a Pressroom project keeps things: one value passed to every stage."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pressroom.core.defaults import default_dir

#: The build's own records beside its outputs (articles as parsed, the no-op's stamps):
#: `out/.pressroom-cache/`, which can be deleted at any time.
CACHE_FOLDER = ".pressroom-cache"


@dataclass(frozen=True, slots=True)
class Project:
    root: Path
    source_dir: Path
    out_dir: Path

    @classmethod
    def at(cls, root: Path, source_dir: Path | None = None, out_dir: Path | None = None) -> Project:
        root = root.resolve()
        return cls(
            root=root,
            source_dir=(source_dir or root / "source").resolve(),
            out_dir=(out_dir or root / "out").resolve(),
        )

    @property
    def layouts_dir(self) -> Path:
        return self.root / "layouts"

    @property
    def styles_dir(self) -> Path:
        return self.root / "styles"

    def folders(self, kind: str) -> tuple[Path, ...]:
        """Where `kind` ("layouts" or "styles") files are found, the defaults first: a file
        of the project's own folder overrides the default of the same name. One folder
        when the project is the checkout whose folders are the defaults."""
        default, own = default_dir(kind).resolve(), (self.root / kind).resolve()
        return (default,) if own == default else (default, own)

    @property
    def allowed_roots(self) -> tuple[Path, ...]:
        """The only folders rendering may read from: the articles (and their images), the
        layouts and the styles — not the rest of the project (.git, out/, .venv)."""
        return (self.source_dir, self.layouts_dir.resolve(), self.styles_dir.resolve())
