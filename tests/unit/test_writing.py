"""Atomic writes: the old file or the new one, never a half-written one."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom.core import writing


def test_write_creates_folders_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out" / "en" / "a.pdf"
    writing.write_atomic(target, b"one")
    writing.write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]


def test_failed_write_keeps_the_old_file_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writing.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        writing.write_atomic(target, b"new and longer")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
