"""Plain pages (Markdown outside stories/ and lectures/, such as about.md), checked as entries are.

MkDocs publishes them with whatever front matter they have; here they get the
image rules of entries, the same YAML reading (errors reported, full-width
slips fixed with a notice) and a check that they are not stories or lectures
in the wrong folder, whose fields would silently do nothing.
"""

from __future__ import annotations

from pathlib import Path

from site_plugins.content import pastedhtml
from site_plugins.content.frontmatter import Document, decode, parse_text, split
from site_plugins.content.markdown import scan
from site_plugins.content.paths import page_images
from site_plugins.content.problems import Problem
from site_plugins.content.rawhtml import active_content
from site_plugins.content.schema import KIND_FOLDERS, SCHEMA, ImageRef

# Fields that only mean something in a story or lecture; on a plain page they do nothing
# (`draft: true` would not even keep the page unpublished).
ENTRY_ONLY = tuple(dict.fromkeys(spec.name for spec in SCHEMA if spec.name != "title"))


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


def read_pages(content_dir: Path, tree: set[str]) -> tuple[dict[str, tuple[ImageRef, ...]], dict[str, str], list[Problem]]:
    """(images of each plain page, normalised texts where they differ, problems and notices)."""
    pages: dict[str, tuple[ImageRef, ...]] = {}
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
        problems += found + active_content(rel, doc.body, doc.body_line, body) + pastedhtml.problems(rel, body)
    return pages, texts, problems
