"""What is in content/: one walk of the folder, shared by every reader of one check or build.

The check lists content/ for several reasons (the pages, the entries, unused files, other pages'
addresses, file names, the stamp the entries' memo is keyed by). At 3,000 stories each walk costs
about 0.1 s, and a preview checks after every edit: so inside `one_walk()` (a check, a `prepare`)
the folder is walked once and every reader gets the same listing. Outside it, each call walks.
Nothing in a check writes content/, so one listing holds for the whole of it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path


def hidden(path: str) -> bool:
    """A file or folder name starting with a dot: MkDocs never publishes it."""
    return any(part.startswith(".") for part in path.split("/"))


def _order(rel: str) -> list[str]:
    return rel.split("/")  # as sorted Paths are: by folder, then name


@dataclass(frozen=True)
class Tree:
    """Every file of content/ (hidden ones too) with its stat, and every folder; paths POSIX, relative."""

    files: dict[str, os.stat_result]  # sorted as Paths sort
    folders: tuple[str, ...]
    _visible: set[str] = field(default_factory=set)

    @property
    def visible(self) -> set[str]:
        """Every file MkDocs would see (hidden files and folders left out)."""
        return self._visible

    def under(self, folder: str, suffix: str = "") -> list[str]:
        """Files below `folder` ending in `suffix`, sorted as Paths sort (hidden ones included)."""
        prefix = folder + "/"
        return [rel for rel in self.files if rel.startswith(prefix) and rel.endswith(suffix)]


def walk(content_dir: Path, hidden_folders: bool = True) -> Tree:
    """content/ listed now: every file with its stat (following links, as `os.stat`); without what is
    inside hidden folders if not `hidden_folders` (a theme's `.icons/` holds 14,000 files)."""
    files: dict[str, os.stat_result] = {}
    folders: list[str] = []
    top = os.fspath(content_dir)

    def scan(folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            rel = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not hidden_folders and entry.name.startswith("."):
                        continue
                    folders.append(rel)
                    scan(entry.path, rel + "/")
                elif entry.is_file():
                    files[rel] = entry.stat()
            except OSError:
                continue  # deleted between the listing and the stat

    scan(top, "")
    ordered = {rel: files[rel] for rel in sorted(files, key=_order)}
    return Tree(ordered, tuple(sorted(folders, key=_order)), {rel for rel in ordered if not hidden(rel)})


_SCOPE: ContextVar[dict[str, Tree] | None] = ContextVar("content_tree_scope", default=None)


@contextmanager
def one_walk() -> Iterator[None]:
    """Within this, `listing` walks each folder once (an inner `one_walk` shares the outer's)."""
    if _SCOPE.get() is not None:
        yield
        return
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def listing(content_dir: Path) -> Tree:
    """content/'s `Tree`: walked once per `one_walk`, or now outside one."""
    scope = _SCOPE.get()
    if scope is None:
        return walk(content_dir)
    key = os.fspath(content_dir)
    if key not in scope:
        scope[key] = walk(content_dir)
    return scope[key]


def listed_stat(file: str) -> os.stat_result | None:
    """`file`'s stat as this `one_walk`'s listing has it (None outside one, or outside what it listed):
    the preview's check asks for 7,000 stats at 3,000 stories that its walk has just taken."""
    scope = _SCOPE.get()
    for top, tree in (scope or {}).items():
        if file.startswith(top) and file[len(top):len(top) + 1] == os.sep:
            return tree.files.get(file[len(top) + 1:].replace(os.sep, "/"))
    return None
