"""Turn a parsed Document into a Story or Lecture, or into Problems naming each field.

The schema drives it: every field of the kind is read by the reader its
`FieldSpec.type` names (`fields.py`), a required field left out is reported
with the spec's help text, an absent one takes the spec's default. What is
left here are the rules that join several fields (cover and its alt text,
consent for the page's images, a lecture's end) and the defaults derived from
the page (slug from the file name, summary from the first paragraph).
"""

from __future__ import annotations

import difflib
import posixpath
from datetime import timedelta
from typing import Any

from site_plugins import urls
from site_plugins.content import pastedhtml
from site_plugins.content import text as textmod
from site_plugins.content.fields import ID_DERIVED, READERS, Context, Reader, is_absent, split_list
from site_plugins.content.frontmatter import Document
from site_plugins.content.markdown import scan
from site_plugins.content.paths import page_images
from site_plugins.content.problems import Problem
from site_plugins.content.rawhtml import active_content
from site_plugins.content.schema import (
    IMAGE_SUFFIXES,
    PASSTHROUGH,
    ImageRef,
    Kind,
    Lecture,
    Story,
    fields_for,
)

__all__ = ["ID_DERIVED", "RESERVED_SLUGS", "Context", "build_entry", "split_list"]

RESERVED_SLUGS = urls.RESERVED_SLUGS


def read_fields(check: Reader) -> dict[str, Any]:
    """Every field of the kind, read by its type; unknown fields reported with a close match."""
    known = fields_for(check.kind)
    for name in check.meta:
        if name not in known and name not in PASSTHROUGH:
            close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
            hint = f"是不是想写 {close[0]}？" if close else f"可用字段：{'、'.join(known)}。"
            check.report(str(name), f"未知字段 {name}。{hint}")
    values: dict[str, Any] = {}
    for name, spec in known.items():
        value = check.meta.get(name)
        if is_absent(value):
            values[name] = check.missing(spec) if spec.required or name == "id" else spec.default
        else:
            values[name] = READERS[spec.type](check, spec, value)
    return values


def _slug(check: Reader, explicit: str) -> str:
    stem = textmod.source_stem(check.doc.path)
    if (explicit or stem) in RESERVED_SLUGS:
        check.report("slug", f"“{explicit or stem}”是网站保留的网址名（用于列表页）。请写 slug: {explicit or stem}-1 之类的其他名称。",
                     check.doc.lines.get("slug", 1))
        return ""
    if explicit:
        if not textmod.is_slug(explicit):
            check.report("slug", f"slug“{explicit}”只能包含小写英文字母、数字和连字符，例如 slug: {textmod.slugify(explicit)}")
            return ""
        return explicit
    if not textmod.is_slug(stem):
        check.report("slug", f"文件名“{stem}”不能用作网址。请把文件改名为拼音，例如 {textmod.slugify(stem)}，"
                     f"或在 front matter 中写 slug: {textmod.slugify(stem)}", 1)
        return ""
    return stem


def _cover(check: Reader, cover: str, alt: str) -> ImageRef | None:
    if not cover:
        if alt:
            check.report("cover_alt", "写了 cover_alt 却没有 cover。请补上封面图路径或删去 cover_alt。")
        return None
    resolved = check.path("cover", cover, IMAGE_SUFFIXES, what="图片")
    line = check.doc.line_of("cover")
    if not alt:
        check.report("cover_alt", f"有封面图时必须写 cover_alt，用一句话描述图片内容，例如 cover_alt: {check.example('cover_alt')}", line)
    return ImageRef(resolved, alt, line, is_cover=True) if resolved else None


def _consent(check: Reader, records: dict[str, str], tags: tuple[str, ...], images: list[ImageRef]) -> None:
    """A photo in a narrative that needs consent must have a record, for the page or for that image."""
    vocab = check.ctx.vocabulary
    needs = [vocab[t].label for t in tags if vocab[t].consent]
    if not needs:
        return
    for image in images:
        if "*" not in records and image.src not in records:
            check.report("consent", f"专题“{needs[0]}”的图片需要肖像使用同意书，但图片“{posixpath.basename(image.src)}”没有登记。"
                         "请写 consent: 同意书编号（或按图片分别写 consent: {文件名: 编号}）；没有同意书请删去该图片。", image.line)


def _common(check: Reader, values: dict[str, Any]) -> dict[str, Any] | None:
    doc = check.doc
    found = scan(doc.body, doc.body_line)
    inline, problems = page_images(check.ctx.content_dir, doc.path, found)
    check.problems += problems + active_content(doc.path, doc.body, doc.body_line, found)
    check.problems += pastedhtml.problems(doc.path, found)  # what parse_text could not clean
    cover = _cover(check, values["cover"] or "", values["cover_alt"] or "")
    tags = values["tags"] or ()
    _consent(check, values["consent"] or {}, tags, [*([cover] if cover else []), *inline])
    if values["date"] is None or not values["title"]:
        return None
    return dict(
        source=doc.path, id=values["id"] or "", title=values["title"], date=values["date"], tags=tags,
        slug=_slug(check, values["slug"] or ""), body=doc.body,
        summary=values["summary"] or textmod.excerpt(doc.body),
        char_count=textmod.char_count(doc.body), reading_minutes=textmod.reading_minutes(doc.body),
        city=values["city"] or "", cover=cover, images=tuple(inline), consent=values["consent"] or {},
        updated=values["updated"], draft=bool(values["draft"]), aliases=values["aliases"] or (),
        lines=dict(doc.lines),
    )


def _lecture(check: Reader, values: dict[str, Any], common: dict[str, Any]) -> Lecture:
    start = common["date"]
    if not check.has_time.get("date", False):
        check.report("date", "讲座的 date 要写开始时间，例如 date: 2026-03-05 14:30")
    end = values["end"]
    if end is None and "end" not in check.meta:
        minutes = values["duration"] or fields_for("lecture")["duration"].default
        assert isinstance(minutes, int)
        end = start + timedelta(minutes=minutes)
    if end is not None and end <= start:
        check.report("end", "结束时间早于开始时间。请检查 end 或 date。")
    slides = check.path("slides", values["slides"], (".pdf", ".pptx", ".odp")) if values["slides"] else ""
    announced = values["announced"]
    if announced is not None and announced > start:
        check.report("announced", "announced（预告日期）晚于讲座开始时间。请写讲座预告发出的那一天，例如 "
                     f"announced: {start - timedelta(days=30):%Y-%m-%d}")
    return Lecture(
        kind="lecture", end=end, speakers=values["speakers"] or (), venue=values["venue"] or "",
        audience=values["audience"], recording=values["recording"], slides=slides,
        cancelled=bool(values["cancelled"]), transcript=values["transcript"], announced=announced, **common,
    )


def build_entry(doc: Document, kind: Kind, ctx: Context) -> tuple[Story | Lecture | None, list[Problem]]:
    """Validate one document; return its record (None if unusable) and its problems."""
    if doc.problems:
        return None, list(doc.problems)
    check = Reader(doc, kind, ctx)
    values = read_fields(check)
    common = _common(check, values)
    record: Story | Lecture | None = None
    if common is not None:
        if kind == "story":
            record = Story(kind="story", authors=values["authors"] or (), featured=bool(values["featured"]), **common)
        else:
            record = _lecture(check, values, common)
    return (record if not check.problems else None), check.problems
