"""The 公众号's documented limits, and the Chinese messages of what goes over them.

The draft API (草稿箱 draft/add) documents them: title at most 32 characters, digest
at most 128, content under 20,000 characters and under 1 MB, images JPG/PNG under
1 MB. "1 MB" is read as 1,000,000 bytes, the stricter of its two readings. The
content is the article's HTML as the API receives it, markup included, so that is
what is counted; the editor's paste goes through the same store.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_plugins.content.problems import Problem
from site_plugins.content.schema import Entry
from site_plugins.content.text import trim

MEGABYTE = 1_000_000


@dataclass(frozen=True)
class Limits:
    title: int = 32  # characters, at most
    digest: int = 128  # characters, at most
    content_chars: int = 20_000  # characters, fewer than
    content_bytes: int = MEGABYTE  # UTF-8 bytes, fewer than
    image_width: int = 1080  # pixels, at most (the width WeChat shows images at on a phone)
    image_bytes: int = MEGABYTE  # bytes of each image file, fewer than


LIMITS = Limits()


def digest(entry: Entry, limits: Limits = LIMITS) -> tuple[str, list[Problem]]:
    """The 摘要 to paste: the entry's summary, cut at a sentence end with a notice when too long."""
    summary = entry.summary.strip()
    if len(summary) <= limits.digest:
        return summary, []
    cut = trim(summary, limits.digest)
    line = entry.lines.get("summary", 1)
    where = "summary" if "summary" in entry.lines else "正文第一段（没有写 summary）"
    return cut, [Problem(entry.source, line, "summary", (
        f"摘要有 {len(summary)} 个字，公众号摘要最多 {limits.digest} 个字，已截为前 {len(cut)} 个字：“{cut}”。"
        f"想用完整的一句话，请在 {where} 中写一句 {limits.digest} 字以内的摘要。"), notice=True)]


def check(entry: Entry, html: str, limits: Limits = LIMITS) -> list[Problem]:
    """What the 公众号 would refuse: a title or a content over its limit (digests are cut, see `digest`)."""
    problems: list[Problem] = []
    if len(entry.title) > limits.title:
        over = len(entry.title) - limits.title
        problems.append(Problem(entry.source, entry.lines.get("title", 1), "title", (
            f"标题有 {len(entry.title)} 个字，公众号标题最多 {limits.title} 个字。"
            f"请把 title 改短至少 {over} 个字后再运行 scripts/wechat。")))
    chars, size = len(html), len(html.encode("utf-8"))
    if chars >= limits.content_chars:
        over = chars - limits.content_chars + 1
        problems.append(Problem(entry.source, 1, "正文", (
            f"公众号版正文有 {chars} 个字符（含排版代码），公众号要求少于 {limits.content_chars} 个。"
            f"请删减约 {over} 个字符（图片和小标题也占字符），或把文章分成上下两篇。")))
    elif size >= limits.content_bytes:
        problems.append(Problem(entry.source, 1, "正文", (
            f"公众号版正文有 {size / MEGABYTE:.2f} MB，公众号要求小于 1 MB。请删减正文，或把文章分成上下两篇。")))
    return problems
