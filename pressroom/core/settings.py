"""What the environment may change about a build, read in one place, once.

Outputs must depend only on their inputs. The few things that come from outside the
project — the reproducible-build date, and the clock (today's date, for the review
warning) — are read here into a frozen value that the session hands to every stage and
every render job, so a job on another machine sees the same settings as the machine
that planned it, and the manifest can tell when a setting changed.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Settings:
    #: `SOURCE_DATE_EPOCH` (reproducible-builds.org): the date stamped into every output.
    source_date_epoch: int | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
        return cls(source_date_epoch=int(epoch) if epoch.isdigit() else None)

    @property
    def fixed_time(self) -> dt.datetime | None:
        if self.source_date_epoch is None:
            return None
        return dt.datetime.fromtimestamp(self.source_date_epoch, dt.UTC)

    @property
    def today(self) -> dt.date:
        """The build's date: SOURCE_DATE_EPOCH's day (UTC) when set, so a build and its
        warnings can be repeated; else the clock's, in local time."""
        fixed = self.fixed_time
        return fixed.date() if fixed is not None else dt.date.today()

    def now(self) -> dt.datetime:
        """The build's moment (UTC, whole seconds): SOURCE_DATE_EPOCH's when set."""
        fixed = self.fixed_time
        return fixed if fixed is not None else dt.datetime.now(dt.UTC).replace(microsecond=0)

    def fingerprint(self) -> str:
        """Part of every output's inputs digest: a changed setting rebuilds."""
        return repr(self)
