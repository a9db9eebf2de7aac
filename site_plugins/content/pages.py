"""Plain pages (Markdown outside stories/ and lectures/, such as about.md), checked as entries are.

MkDocs publishes them with whatever front matter they have; here they get the
image rules of entries, the same YAML reading (errors reported, full-width
slips fixed with a notice) and a check that they are not stories or lectures
in the wrong folder, whose fields would silently do nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_plugins.content import pastedhtml
from site_plugins.content.frontmatter import Document, decode, parse_text, split
from site_plugins.content.markdown import Scan, scan
from site_plugins.content.paths import page_images
from site_plugins.content.problems import Problem
from site_plugins.content.rawhtml import active_content
from site_plugins.content.schema import KIND_FOLDERS, SCHEMA, ImageRef

# Fields that only mean something in a story or lecture; on a plain page they do nothing
# (`draft: true` would not even keep the page unpublished).
ENTRY_ONLY = tuple(dict.fromkeys(spec.name for spec in SCHEMA if spec.name != "title"))


@dataclass(frozen=True)
class PageHead:
    """What a page says of itself for its title and description (the engine's title rules: `title_of`)."""

    title: str | None = None  # front matter `title`
    heading: str | None = None  # the first H1, if the body starts with one
    description: str = ""  # front matter `description`
    unsearched: bool = False  # front matter `search: {exclude: true}`: kept out of the search index


def page_head(meta: dict[str, Any], body: Scan, body_starts_with_h1: bool) -> PageHead:
    title = meta.get("title")
    description = meta.get("description")
    first = body.headings[0] if body.headings and body_starts_with_h1 and body.headings[0].level == 1 else None
    search = meta.get("search")
    return PageHead(None if title is None else str(title), first.text if first else None,
                    description if isinstance(description, str) else "",
                    isinstance(search, dict) and bool(search.get("exclude")))


def starts_with_h1(body: str) -> bool:
    """Whether the first block of a Markdown body is a level-1 heading (`# ...`, or a line underlined `===`)."""
    lines = body.split("\n")
    at = next((i for i, line in enumerate(lines) if line.strip()), None)
    if at is None:
        return False
    if lines[at].startswith("# ") or lines[at].rstrip() == "#":
        return True
    under = lines[at + 1].strip() if at + 1 < len(lines) else ""
    return bool(under) and set(under) == {"="}


def is_entry(path: str) -> bool:
    """A story or lecture (by folder), as opposed to a plain page such as about.md."""
    return path.endswith(".md") and path.split("/")[0] in KIND_FOLDERS


def entry_fields(doc: Document) -> list[Problem]:
    """A plain page that carries story or lecture fields: an entry saved in the wrong folder."""
    found = [key for key in ENTRY_ONLY if key in doc.meta]
    if not found:
        return []
    return [Problem(doc.path, doc.lines.get(found[0], 1), found[0],
                    f"这个页面写了故事或讲座才有的字段（{'、'.join(found)}），但它不在 content/stories/ 或 "
                    "content/lectures/ 中，会被当作普通页面发布，这些字段不起作用。故事请移到 content/stories/，"
                    "讲座请移到 content/lectures/；普通页面请删去这些字段。")]


def read_pages(content_dir: Path, tree: set[str]
               ) -> tuple[dict[str, tuple[ImageRef, ...]], dict[str, str], dict[str, PageHead], list[Problem]]:
    """(images of each plain page, normalised texts where they differ, their heads, problems and notices)."""
    pages: dict[str, tuple[ImageRef, ...]] = {}
    heads: dict[str, PageHead] = {}
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for rel in sorted(p for p in tree if p.endswith(".md") and not is_entry(p)):
        text, problem = decode((content_dir / rel).read_bytes(), rel)
        if problem is not None or text is None:
            problems += [problem] if problem else []
            continue
        doc = parse_text(text, rel)
        problems += doc.notices
        if doc.notices:
            texts[rel] = doc.text
        if split(doc.text) is not None:  # a plain page may do without front matter; if it has one, it must read
            problems += doc.problems + entry_fields(doc)
        body = scan(doc.body, doc.body_line)
        refs, found = page_images(content_dir, rel, body)
        pages[rel] = tuple(refs)
        heads[rel] = page_head(doc.meta, body, starts_with_h1(doc.body))
        problems += found + active_content(rel, doc.body, doc.body_line, body) + pastedhtml.problems(rel, body)
    return pages, texts, heads, problems
