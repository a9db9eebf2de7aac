"""What an edit changes: the pages a preview renders again, from the two builds' `prepare` results.

A page's output is its Markdown source and its view (pipeline/views.py: everything a template
shows beyond the Markdown, the listing, home and related cards of other entries included) put
through templates that do not change between two such builds. So the pages to render again are
those whose source, view, address or title differs between the last build and this one: the
view is the dependency tracker, and nothing needs to know which page shows which entry. The
rest are the same bytes. A page whose address changes is written at its new address and its old
file removed; a page that links to a page that came, went or moved is rendered again (its link
resolves differently). What this cannot follow, a change of settings, vocabulary, authors,
media, templates or of anything outside content/'s Markdown, makes the whole site again.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_plugins.content.reuse import Version, file_version, same, version
from site_plugins.content.schema import Author
from site_plugins.content.tree import listing, walk
from site_plugins.content.vocabulary import Vocabulary
from site_plugins.outputs.pages.pageview import PageInfo
from site_plugins.pipeline.result import Prepared
from site_plugins.pipeline.views import NOT_FOUND, OnDemand
from site_plugins.settings import Settings

Stamp = Version  # content/reuse.file_version: size, time of change and inode, or the bytes' digest if recent


def stamps(roots: Iterable[Path], content: Path | None = None) -> dict[str, Stamp]:
    """Every file under `roots` (hidden ones left out, as the engine leaves them out) -> its stamp.
    `content` is listed as the check lists it (`tree.listing`: within `one_walk`, the same walk)."""
    found: dict[str, Stamp] = {}
    for root in roots:
        if root.is_file():
            found[os.fspath(root)] = file_version(root)
            continue
        tree, top = listing(root) if root == content else walk(root, hidden_folders=False), os.fspath(root)
        for rel, stat in tree.files.items():
            if rel in tree.visible:
                path = os.path.join(top, rel)
                try:
                    found[path] = version(path, stat)
                except OSError:
                    continue  # deleted between the listing and the read
    return found


def edited(before: Mapping[str, Stamp], after: Mapping[str, Stamp]) -> set[str]:
    """Paths added, removed or changed between two `stamps` (a file stamped while it was recent and
    unchanged since is not: reuse.same)."""
    return {p for p in before.keys() | after.keys() if not same(before.get(p), p, after.get(p))}


@dataclass(frozen=True)
class Plan:
    """What the engine does for an edit: everything again (`full` says why), or only these pages."""

    full: str = ""
    render: frozenset[str] = frozenset()  # page sources to render (again or for the first time)
    removed: frozenset[str] = frozenset()  # page sources whose old output goes (gone, or moved away)
    moved: bool = False  # the set of pages, an address or a media file changed: the engine lists its files again
    listed: bool = False  # of those, pages came, went or moved (not only media): the nav is made again too
    old_urls: Mapping[str, str] = field(default_factory=dict)  # removed source -> the address it had
    not_found: bool = False  # the 404 page's view changed


@dataclass(frozen=True)
class Snapshot:
    """What `plan` compares of a build, in plain values: scripts/build keeps it between processes
    (pipeline/buildcache.py), the preview compares two `Prepared` directly."""

    settings: Settings
    vocabulary: Vocabulary
    authors: Mapping[str, Author]
    infos: Mapping[str, PageInfo]
    views: Mapping[str, Any]  # page source -> its view; scripts/build's: its view's digest (views.OnDemand)
    pages: Mapping[str, str]
    media: tuple[Mapping[str, Path], Mapping[str, str]]  # published files, content paths served as them


def snapshot(result: Prepared | Snapshot, keyed: bool = False) -> Snapshot:
    """`result` in plain values; `keyed`: each view as its digest (a `Prepared` whose views are made on
    demand: scripts/build keeps and compares only those, never every view)."""
    if isinstance(result, Snapshot):
        return result
    if keyed and not isinstance(result.views, OnDemand):
        raise TypeError("a keyed snapshot needs views made on demand (prepare(on_demand=True))")
    views = result.views.digests() if keyed and isinstance(result.views, OnDemand) else dict(result.views)
    return Snapshot(result.settings, result.catalog.vocabulary, result.catalog.authors, dict(result.infos),
                    views, dict(result.pages),
                    (dict(result.published.files), dict(result.published.served)))


def plan(old_build: Prepared | Snapshot, new_build: Prepared | Snapshot, sources: set[str],
         texts: Callable[[], Mapping[str, str]]) -> Plan:
    """The pages to render after content files `sources` (paths relative to content/) changed.

    `texts`: every page source's Markdown as the engine reads it now, asked for only when a page
    came, went or moved, to find the pages that link to it.
    """
    old, new = snapshot(old_build), snapshot(new_build)
    if old.settings != new.settings:
        return Plan(full="settings")
    outside = sorted(s for s in sources if not s.endswith(".md"))
    if outside:
        return Plan(full=f"not Markdown: {outside[0]}")
    if old.vocabulary != new.vocabulary or old.authors != new.authors:
        return Plan(full="vocabulary or authors")
    before, after = old.infos, new.infos
    gone = {src for src in before if src not in after or before[src].url != after[src].url}
    came = {src for src in after if src not in before or before[src].url != after[src].url}
    render = set(came)
    for src, info in after.items():
        if src in came:
            continue
        if (src in sources or info != before[src] or old.views.get(src) != new.views.get(src)
                or old.pages.get(src) != new.pages.get(src)):
            render.add(src)
    if gone or came:
        render |= _linking(texts(), gone | came, after)
    # A new or changed picture, poster or notice of an entry: its page's view has changed with it,
    # and the engine's list of files, which copies them, is made again.
    media = old.media != new.media
    return Plan(render=frozenset(render), removed=frozenset(gone), moved=bool(gone or came or media),
                listed=bool(gone or came),
                old_urls={src: before[src].url for src in gone},
                not_found=old.views.get(NOT_FOUND) != new.views.get(NOT_FOUND))


def _linking(texts: Mapping[str, str], targets: set[str], pages: Mapping[str, object]) -> set[str]:
    """Pages whose Markdown names the file of one of `targets` (a link to it may resolve differently now)."""
    names = {posixpath.basename(t) for t in targets}
    return {src for src, text in texts.items() if src in pages and any(name in text for name in names)}


_TEXTS: dict[Path, tuple[Stamp, str]] = {}  # a page's text by its file's version: a new page asks for all


def read(path: Path) -> str:
    """A page's text as it is on disk now ("" if unreadable), read again only when its file changed."""
    try:
        version = file_version(path)
        kept = _TEXTS.get(path)
        if kept is None or kept[0] != version:
            kept = _TEXTS[path] = (version, path.read_text(encoding="utf-8"))
        return kept[1]
    except (OSError, UnicodeDecodeError):
        return ""


def texts(docs: Path, new: Prepared) -> dict[str, str]:
    """Every page source's Markdown as the engine reads it now (`plan`'s `texts`): normalised where
    the check changed it, else as on disk."""
    return {src: new.catalog.texts.get(src) or read(docs / src) for src in new.infos if src.endswith(".md")}
