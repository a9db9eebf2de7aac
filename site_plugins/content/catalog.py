"""Read all of content/ into a Catalog: every story and lecture, or every problem.

This is the one entry point the build, `scripts/check` and the other features
share; it knows nothing of MkDocs.
"""

from __future__ import annotations

import itertools
import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from site_plugins.content import invisible
from site_plugins.content.aliases import alias_problems, page_urls
from site_plugins.content.audit import audit
from site_plugins.content.frontmatter import Document, Rewrite, clean, decode, parse_file
from site_plugins.content.pages import PageHead, is_entry, read_pages
from site_plugins.content.problems import Problem, ref
from site_plugins.content.reuse import Memo
from site_plugins.content.schema import (
    KIND_FOLDERS,
    RASTER_SUFFIXES,
    Author,
    Entry,
    ImageRef,
    Kind,
    Lecture,
    Story,
    withheld_reason,
)
from site_plugins.content.suggest import derived_id
from site_plugins.content.text import slugify
from site_plugins.content.tree import hidden, listing
from site_plugins.content.validate import Context, build_entry
from site_plugins.content.vocabulary import Vocabulary, load_vocabulary
from site_plugins.content.yamlload import load

VOCABULARY_FILE = "narratives.yml"
AUTHORS_FILE = "authors.yml"


@dataclass
class Catalog:
    """Every valid entry of the content folder, published or not."""

    vocabulary: Vocabulary
    authors: dict[str, Author]
    stories: list[Story] = field(default_factory=list)
    lectures: list[Lecture] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # values fixed or derived: reported, never failures
    texts: dict[str, str] = field(default_factory=dict)  # source -> normalised text, where it differs from the file
    pages: dict[str, tuple[ImageRef, ...]] = field(default_factory=dict)  # images of plain pages
    heads: dict[str, PageHead] = field(default_factory=dict)  # title and description of plain pages
    rewrites: dict[str, list[Rewrite]] = field(default_factory=dict)  # source -> values to write the site's way

    def by_source(self) -> dict[str, Story | Lecture]:
        entries: list[Story | Lecture] = [*self.stories, *self.lectures]
        return {e.source: e for e in entries}

    def image_uses(self, entries: Iterable[Entry]) -> dict[str, list[ImageUse]]:
        """Every image a build of `entries` publishes (plain pages always), with where it is used."""
        uses: dict[str, list[ImageUse]] = {}
        for entry in entries:
            for image in [*([entry.cover] if entry.cover else []), *entry.images]:
                uses.setdefault(image.src, []).append(ImageUse(entry.source, image.line, "cover" if image.is_cover else "image"))
        for page, refs in sorted(self.pages.items()):
            for image in refs:
                uses.setdefault(image.src, []).append(ImageUse(page, image.line, "image"))
        return uses


@dataclass(frozen=True)
class ImageUse:
    """Where a page uses an image: problems with the image are reported there."""

    page: str  # content path of the page
    line: int
    field: str  # cover or image


@dataclass(frozen=True)
class Edition:
    """What one build publishes, decided once from the catalog and the build time."""

    stories: tuple[Story, ...]  # newest first
    lectures: tuple[Lecture, ...]  # newest first
    withheld: tuple[tuple[Story | Lecture, str], ...]  # (entry, reason) left out of this build
    now: datetime

    def upcoming(self) -> list[Lecture]:
        """Lectures still to come, soonest first."""
        return sorted((lec for lec in self.lectures if lec.is_upcoming(self.now)), key=lambda e: e.date)


def edition(catalog: Catalog, now: datetime, preview: bool = False) -> Edition:
    """Choose what is published by the one publication rule; preview keeps everything."""
    withheld: list[tuple[Story | Lecture, str]] = []

    def keep(entry: Story | Lecture) -> bool:
        reason = withheld_reason(entry, now)
        if reason and not preview:
            withheld.append((entry, reason))
            return False
        return True

    def newest(entries: Iterable[Entry]) -> list[Any]:
        return sorted(entries, key=lambda e: (e.date, e.slug), reverse=True)

    stories = newest(s for s in catalog.stories if keep(s))
    lectures = newest(lec for lec in catalog.lectures if keep(lec))
    return Edition(tuple(stories), tuple(lectures), tuple(withheld), now)


def load_authors(file: Path, path: str) -> tuple[dict[str, Author], list[Problem]]:
    """Read content/authors.yml (key -> name, role); a missing file means no authors."""
    if not file.is_file():
        return {}, []
    text, problem = decode(file.read_bytes(), path)
    if problem is not None:
        return {}, [problem]
    text, notices = clean(text or "", path)
    loaded = load(text, path, "authors", offset=1)
    notices += loaded.notices
    if loaded.problems:
        return {}, [*loaded.problems, *notices]
    data, node = loaded.data or {}, loaded.node
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return {}, [Problem(path, 1, "authors", "作者文件应为“key: {name: 姓名, role: 职务}”的映射。"), *notices]
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    authors: dict[str, Author] = {}
    problems: list[Problem] = []
    for key, info in data.items():
        line = lines.get(str(key), 1)
        if not isinstance(info, dict) or not info.get("name"):
            problems.append(Problem(path, line, "authors", f"作者 {key} 缺少 name。请写成 {key}: {{name: 姓名, role: 职务}}"))
            continue
        for name in info:
            if name not in ("name", "role"):
                problems.append(Problem(path, line, str(name), f"作者 {key} 有未知字段 {name}，会被忽略。"
                                        "每位作者只写 name（姓名）和 role（职务）。"))
        info = invisible.strip_value(info, lambda chars: None)
        authors[str(key)] = Author(str(key), str(info["name"]), str(info.get("role") or ""))
    return authors, [*problems, *notices]


def content_tree(content_dir: Path) -> set[str]:
    """Every file MkDocs would see in content/ (hidden files and folders excluded), POSIX."""
    return set(listing(content_dir).visible)


def _non_ascii_names(content_dir: Path, folders: Iterable[str]) -> list[Problem]:
    problems = []
    tree = listing(content_dir)
    prefixes = tuple(folder + "/" for folder in folders)
    for rel in itertools.chain(tree.files, tree.folders):
        if (rel.isascii() and " " not in rel) or not rel.startswith(prefixes):
            continue  # nearly every path: one test in C each (this runs at every preview edit)
        name = posixpath.basename(rel)
        if (name.isascii() and " " not in name) or posixpath.splitext(name)[1].lower() in RASTER_SUFFIXES:
            continue  # a photo is published under a derived ASCII name (media/images.safe_stem)
        stem, dot, suffix = name.partition(".")
        fixed = slugify(stem) + dot + suffix
        problems.append(Problem(rel, 1, "file name", f"文件名“{name}”含有中文或空格，网址会出错。请改名为 {fixed}"))
    return sorted(problems)


def content_files(content_dir: Path, only: Iterable[Path] | None = None) -> list[tuple[Path, str]]:
    """(file, path inside content/) of every story and lecture, or of the given files."""
    if only is not None:
        out = []
        for file in only:
            rel = file.resolve().relative_to(content_dir.resolve()).as_posix()
            if rel.split("/")[0] in KIND_FOLDERS and rel.endswith(".md"):
                out.append((file, rel))
        return out
    tree = listing(content_dir)
    return [(content_dir / rel, rel) for folder in KIND_FOLDERS
            for rel in tree.under(folder, ".md") if not hidden(rel)]  # content/audit.py reports hidden ones


def _selected(content_dir: Path, only: Iterable[Path] | None) -> set[str] | None:
    if only is None:
        return None
    root = content_dir.resolve()
    return {f.resolve().relative_to(root).as_posix() for f in only}


def load_catalog(content_dir: Path, only: Iterable[Path] | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Read the vocabulary, authors and every content file; report every problem at once.

    `only` limits per-file checks to some Markdown files (for `scripts/check
    PATHS`); duplicate slugs and ids are still checked against the whole folder.
    """
    vocabulary, problems = load_vocabulary(content_dir / VOCABULARY_FILE, VOCABULARY_FILE)
    authors, author_problems = load_authors(content_dir / AUTHORS_FILE, AUTHORS_FILE)
    problems += author_problems
    if vocabulary is None:
        return None, [p for p in problems if not p.notice]
    problems += _non_ascii_names(content_dir, KIND_FOLDERS)
    ctx = Context(vocabulary, authors, content_dir)
    pages, texts, heads, page_problems = read_pages(content_dir, content_tree(content_dir))
    catalog = Catalog(vocabulary, authors, pages=pages, texts=texts, heads=heads)
    selected = _selected(content_dir, only)
    problems += [p for p in page_problems if selected is None or p.path in selected]
    slugs: dict[tuple[str, str], list[str]] = defaultdict(list)
    ids: dict[str, list[str]] = defaultdict(list)
    own: list[Problem] = []  # problems of the selected files, which may name a file they use (a transcript)
    failed: list[str] = []
    files = content_files(content_dir)
    memo = Memo(content_dir, {rel for _, rel in files}) if only is None else None
    for file, rel in files:
        kind = KIND_FOLDERS[rel.split("/")[0]]

        def read(file: Path = file, rel: str = rel, kind: Kind = kind) -> tuple[Document, Story | Lecture | None,
                                                                               list[Problem]]:
            doc = parse_file(file, rel)
            return (doc, *build_entry(doc, kind, ctx))

        doc, entry, found = memo.get(rel, kind, file, read) if memo is not None else read()
        if selected is None or rel in selected:
            own += [*found, *doc.notices]
        if doc.notices:
            catalog.texts[rel] = doc.text
        if doc.rewrites:
            catalog.rewrites[rel] = doc.rewrites
        if entry is None:
            failed.append(rel)
            continue
        slugs[(entry.kind, entry.slug)].append(rel)
        ids[entry.id.lower()].append(rel)
        (catalog.stories if isinstance(entry, Story) else catalog.lectures).append(entry)  # type: ignore[arg-type]
    by_source = catalog.by_source()
    for (_kind, slug), sources in slugs.items():
        for rel in sources if len(sources) > 1 else []:
            others = "、".join(ref(s) for s in sources if s != rel)
            problems.append(Problem(rel, by_source[rel].lines.get("slug", 1), "slug",
                                    f"网址 {posixpath.dirname(by_source[rel].url)}/ 已被 {others} 使用，发布会互相覆盖。"
                                    f"请为本文写一个不同的 slug，例如 slug: {slug}-2"))
    for entry_id, sources in ids.items():
        for rel in sources if len(sources) > 1 else []:
            others = "、".join(ref(s) for s in sources if s != rel)
            problems.append(Problem(rel, by_source[rel].lines.get("id", 1), "id",
                                    f"id {entry_id} 与 {others} 重复（复制文件时常见）。"
                                    f"请保留原文的 id；复制出的文件请改为 id: {derived_id(rel)}"))
    if memo is not None:
        memo.close()
    problems += alias_problems([*catalog.stories, *catalog.lectures], page_urls(content_dir))
    problems += audit(content_dir, [*catalog.stories, *catalog.lectures], failed, catalog.pages)
    if selected is not None:
        problems = [p for p in problems if p.path in selected or not is_entry(p.path)]
    problems += own
    catalog.notices = sorted({p for p in problems if p.notice})
    return catalog, sorted({p for p in problems if not p.notice})
