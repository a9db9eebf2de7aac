"""`aliases:` — the earlier addresses of a story or lecture, and their collisions.

An alias is an earlier slug (`old-name`, meaning /stories/old-name/ for a
story) or an earlier path (`/news/2019/old.html`, `/stories/old-name/`). The
build turns each into a redirect (`deploy/redirects.py`); here they are read,
normalised to site paths without the leading slash (`stories/old-name/`), and
checked against every live address and every other alias, for `scripts/check`
and the build alike.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import unquote

from site_plugins import urls
from site_plugins.content.problems import Problem
from site_plugins.content.schema import Entry
from site_plugins.content.text import is_slug
from site_plugins.content.tree import hidden, listing

FIELD = "aliases"
# Characters an old address may not hold: they would need escaping in the nginx
# configuration, break the redirect page, or are no part of a path (query, fragment).
_BAD_CHARS = re.compile(r"[\s\"'<>\\{};$?#`\x00-\x1f\x7f]")
GENERATED_TOP = urls.GENERATED_TOP  # site areas the build generates; an alias there would hide a page
GENERATED_IN_KIND = urls.RESERVED_SLUGS  # inside /stories/ and /lectures/: the listings' own addresses
KIND_FOLDER = urls.FOLDERS


def _example(kind: str) -> str:
    return f"aliases: [old-name, /{KIND_FOLDER.get(kind, 'stories')}/2025/old-name.html]"


def normalise(raw: str, kind: str) -> tuple[str, str]:
    """(site path without leading slash, '') or ('', Chinese reason) for one alias."""
    value = raw.strip()
    if is_slug(value):
        return urls.entry(kind, value), ""
    if re.match(r"^[a-z]+://", value, re.I):
        rest = value.split("://", 1)[1]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        return "", f"“{value}”是完整网址。请只写网址中域名之后的路径部分，例如 {path.split('?')[0]}"
    if not value.startswith("/"):
        return "", f"“{value}”既不是旧的 slug（小写字母、数字和连字符），也不是以 / 开头的旧路径。"
    path = unquote(value)
    if _BAD_CHARS.search(path):
        return "", f"旧路径“{value}”含有空格、引号、?、# 或其他不能出现在网址路径中的字符。"
    parts = path.strip("/").split("/")
    if path == "/" or "//" in path or hidden(path.strip("/")):  # . and .. are hidden names too
        return "", f"旧路径“{value}”不是一个页面的地址（不能是首页，不能含 //、. 或 .. 段）。"
    last = parts[-1]
    if "." in last and not path.endswith("/"):
        if not last.lower().endswith((".html", ".htm")):
            return "", f"旧路径“{value}”以 {last.rpartition('.')[2]} 文件结尾。只能写以 / 或 .html 结尾的网页地址。"
        return path.lstrip("/"), ""
    return path.strip("/") + "/", ""


def parse_aliases(value: object, kind: str, path: str, line: int) -> tuple[tuple[str, ...], list[Problem]]:
    """Read an entry's `aliases:` value into normalised site paths (in order, each once)."""
    if value is None or value == "" or value == []:
        return (), []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        return (), [Problem(path, line, FIELD, f"aliases 应为旧网址的列表，例如 {_example(kind)}")]
    out: list[str] = []
    problems = []
    for item in items:
        if not isinstance(item, str):
            problems.append(Problem(path, line, FIELD, f"旧网址“{item}”应为文字，例如 {_example(kind)}"))
            continue
        alias, reason = normalise(item, kind)
        if reason:
            problems.append(Problem(path, line, FIELD, f"{reason}例如 {_example(kind)}"))
        elif alias not in out:
            out.append(alias)
    return tuple(out), problems


def page_urls(content_dir: Path) -> dict[str, str]:
    """Site path -> file of every page and HTML file of content/ outside stories/ and lectures/."""
    found: dict[str, str] = {}
    for rel in listing(content_dir).files:
        if rel.split("/")[0] in KIND_FOLDER.values() or hidden(rel):
            continue
        if rel.endswith(".md"):
            found[urls.markdown_page(rel)] = rel
        elif rel.lower().endswith((".html", ".htm")):
            found[rel] = rel
    return found


def _generated(alias: str) -> bool:
    parts = alias.rstrip("/").split("/")
    if parts[0] in GENERATED_TOP:
        return True
    return parts[0] in KIND_FOLDER.values() and (len(parts) == 1 or parts[1] in GENERATED_IN_KIND)


def alias_problems(entries: Sequence[Entry], pages: dict[str, str]) -> list[Problem]:
    """Aliases that would hide a live page or that two entries claim; each names both files."""
    owners: dict[str, str] = {e.url: e.source for e in entries}
    owners.update({url: rel for url, rel in pages.items() if url not in owners})
    claims: dict[str, list[str]] = defaultdict(list)
    problems: list[Problem] = []
    for entry in entries:
        line = entry.lines.get(FIELD, 1)
        for alias in entry.aliases:
            shown = "/" + alias
            claims[alias].append(entry.source)
            if alias == entry.url:
                problems.append(Problem(entry.source, line, FIELD,
                                        f"旧网址 {shown} 就是本文现在的网址，会跳转到自己。请删去这一项。"))
            elif alias in owners:
                problems.append(Problem(entry.source, line, FIELD,
                                        f"旧网址 {shown} 是 {owners[alias]} 现在的网址，不能再跳转到本文。"
                                        "请删去这一项；如果那个文件是误留的旧版本，请删掉那个文件。"))
            elif _generated(alias):
                problems.append(Problem(entry.source, line, FIELD,
                                        f"旧网址 {shown} 是网站自动生成的页面（列表、专题、订阅、图片等）的地址，不能用作旧网址。请删去这一项。"))
    by_source = {e.source: e for e in entries}
    for alias, sources in claims.items():
        for source in _distinct(sources) if len(set(sources)) > 1 else []:
            others = "、".join(s for s in _distinct(sources) if s != source)
            problems.append(Problem(source, by_source[source].lines.get(FIELD, 1), FIELD,
                                    f"旧网址 /{alias} 也写在 {others} 的 aliases 中，一个旧网址只能跳转到一篇。"
                                    "请只在真正用过这个网址的那一篇中保留。"))
    return problems


def _distinct(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
