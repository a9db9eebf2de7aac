"""Turn a parsed Document into a Story or Lecture, or into Problems naming each field."""

from __future__ import annotations

import difflib
import posixpath
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from site_plugins.content import text as textmod
from site_plugins.content.aliases import parse_aliases
from site_plugins.content.dates import DateError, parse_when
from site_plugins.content.frontmatter import Document
from site_plugins.content.problems import Problem
from site_plugins.content.schema import (
    IMAGE_SUFFIXES,
    PASSTHROUGH,
    PODCAST_MIMES,
    Author,
    ImageRef,
    Kind,
    Lecture,
    Recording,
    Speaker,
    Story,
    Transcript,
    fields_for,
)
from site_plugins.content.suggest import derived_id, missing_hint
from site_plugins.content.transcripts import TYPES as TRANSCRIPT_TYPES
from site_plugins.content.transcripts import read_transcript
from site_plugins.content.vocabulary import Vocabulary

# As Python-Markdown reads it: the target may hold spaces (IMG 0001.JPG) or sit in <...>.
INLINE_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(\s*(?:<([^>]*)>|([^)\"']*?))(?:\s+[\"'][^)]*[\"'])?\s*\)")


_LIST_SEPARATORS_RE = re.compile(r"[，、,；;]")
_FULL_WIDTH_BRACKETS = "［］【】〔〕（）()[]"


def split_list(items: list[Any]) -> list[str]:
    """List items as editors type them on a Chinese keyboard: split on ，、 and stripped of brackets."""
    out: list[str] = []
    for item in items:
        parts = _LIST_SEPARATORS_RE.split(str(item).strip().strip(_FULL_WIDTH_BRACKETS))
        out += [p.strip(" \u3000" + _FULL_WIDTH_BRACKETS) for p in parts if p.strip(" \u3000" + _FULL_WIDTH_BRACKETS)]
    return out


def markdown_images(line: str) -> list[tuple[str, str]]:
    """(alt, file name as on disk) of each Markdown image in a line; %20 and friends decoded."""
    return [(alt, unquote(angled or plain.strip())) for alt, angled, plain in INLINE_IMAGE_RE.findall(line)]
DURATION_RE = re.compile(r"^(\d{1,2}):([0-5]\d):([0-5]\d)$")
RAW_IMG_RE = re.compile(r"<img\b", re.I)
# The notice for a story or lecture without id; `scripts/check --fix` recognises it by its start.
ID_DERIVED = ("没有写永久编号 id，本次按文件路径使用 id: {id}。改文件名后它会变，订阅者会把本文当成新条目；"
              "请运行 scripts/check --fix 把它写进文件（提交时会自动写入）。")
# Addresses the generated listings use inside /stories/ and /lectures/.
RESERVED_SLUGS = frozenset({"archive", "page", "index"})


@dataclass(frozen=True)
class Context:
    """What validation needs besides the file: the vocabulary, authors and content root."""

    vocabulary: Vocabulary
    authors: dict[str, Author]
    content_dir: Path


class _Checker:
    def __init__(self, doc: Document, kind: Kind, ctx: Context) -> None:
        self.doc, self.kind, self.ctx = doc, kind, ctx
        self.meta = doc.meta
        self.problems: list[Problem] = []

    def report(self, name: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.doc.path, line or self.doc.line_of(name), name, message))

    def text(self, name: str, required: bool = False) -> str:
        value = self.meta.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.report(name, f"缺少必填字段 {name}。请添加一行，例如 {name}: {fields_for(self.kind)[name].example}")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.report(name, f"{name} 应为一段文字，例如 {name}: {fields_for(self.kind)[name].example}")
            return ""
        return str(value).strip()

    def when(self, name: str, required: bool = False) -> tuple[datetime | None, bool]:
        value = self.meta.get(name)
        if value is None or value == "":
            if required:
                self.report(name, f"缺少必填字段 {name}。请写成 {name}: 2026-03-05")
            return None, False
        try:
            return parse_when(value)
        except DateError as exc:
            self.report(name, str(exc))
            return None, False

    def flag(self, name: str) -> bool:
        value = self.meta.get(name, False)
        if not isinstance(value, bool):
            self.report(name, f"{name} 只能写 true 或 false，现在是“{value}”。")
            return False
        return value

    def path(self, name: str, value: object, suffixes: tuple[str, ...] = (), line: int | None = None) -> str:
        """Resolve a path relative to the page into a content/ path; '' if invalid."""
        raw = str(value).strip()
        if re.match(r"^[a-z]+://", raw):
            self.report(name, f"“{raw}”是外部网址。图片和文件请放进 content/ 中，写相对路径。", line)
            return ""
        base = posixpath.dirname(self.doc.path)
        resolved = posixpath.normpath(posixpath.join(base, raw.lstrip("/") if raw.startswith("/") else raw))
        if raw.startswith("/"):
            resolved = posixpath.normpath(raw.lstrip("/"))
        if resolved.startswith("../") or resolved == "..":
            self.report(name, f"路径“{raw}”跑到了 content/ 之外。请把文件复制到本文件旁边或 content/images/ 中。", line)
            return ""
        if suffixes and not resolved.lower().endswith(suffixes):
            self.report(name, f"“{raw}”不是支持的格式（{'、'.join(suffixes)}）。", line)
            return ""
        if not (self.ctx.content_dir / resolved).is_file():
            self.report(name, missing_hint(self.ctx.content_dir, self.doc.path, raw, resolved), line)
            return ""
        return resolved

    def unknown_fields(self) -> None:
        known = fields_for(self.kind)
        for name in self.meta:
            if name in known or name in PASSTHROUGH:
                continue
            close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
            hint = f"是不是想写 {close[0]}？" if close else f"可用字段：{'、'.join(known)}。"
            self.report(str(name), f"未知字段 {name}。{hint}")

    def tags(self) -> tuple[str, ...]:
        value = self.meta.get("tags")
        if value is None or value == [] or value == "":
            self.report("tags", f"缺少必填字段 tags。请写所属专题，例如 tags: [志愿服务]（可选：{self.ctx.vocabulary.labels()}）")
            return ()
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list):
            self.report("tags", "tags 应为列表，例如 tags: [志愿服务, 捐赠]")
            return ()
        names = split_list(names)  # 志愿服务，救灾救助 or 【志愿服务、救灾救助】: the meaning is plain
        keys: list[str] = []
        for name in names:
            key = self.ctx.vocabulary.resolve(str(name))
            if key is None:
                close = self.ctx.vocabulary.suggest(str(name))
                hint = f"是不是“{close}”？" if close else ""
                self.report("tags", f"未知专题“{name}”。{hint}可用专题：{self.ctx.vocabulary.labels()}。"
                            "新增专题请编辑 content/narratives.yml。")
            elif key not in keys:
                keys.append(key)
        return tuple(keys)

    def slug(self) -> str:
        stem = textmod.source_stem(self.doc.path)
        explicit = self.text("slug")
        if (explicit or stem) in RESERVED_SLUGS:
            self.report("slug", f"“{explicit or stem}”是网站保留的网址名（用于列表页）。请写 slug: {explicit or stem}-1 之类的其他名称。",
                        self.doc.lines.get("slug", 1))
            return ""
        if explicit:
            if not textmod.is_slug(explicit):
                self.report("slug", f"slug“{explicit}”只能包含小写英文字母、数字和连字符，例如 slug: {textmod.slugify(explicit)}")
                return ""
            return explicit
        if not textmod.is_slug(stem):
            self.report("slug", f"文件名“{stem}”不能用作网址。请把文件改名为拼音，例如 {textmod.slugify(stem)}，"
                        f"或在 front matter 中写 slug: {textmod.slugify(stem)}", 1)
            return ""
        return stem

    def images(self, cover: str, cover_alt: str) -> tuple[ImageRef | None, tuple[ImageRef, ...]]:
        cover_ref = None
        if cover:
            resolved = self.path("cover", cover, IMAGE_SUFFIXES)
            if not cover_alt:
                self.report("cover_alt", f"有封面图时必须写 cover_alt，用一句话描述图片内容，例如 cover_alt: {fields_for(self.kind)['cover_alt'].example}",
                            self.doc.line_of("cover"))
            if resolved:
                cover_ref = ImageRef(resolved, cover_alt, self.doc.line_of("cover"), is_cover=True)
        elif cover_alt:
            self.report("cover_alt", "写了 cover_alt 却没有 cover。请补上封面图路径或删去 cover_alt。")
        inline: list[ImageRef] = []
        in_fence = False
        for offset, line in enumerate(self.doc.body.split("\n")):
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            if in_fence:
                continue
            number = self.doc.body_line + offset
            if RAW_IMG_RE.search(line):
                # raw <img> bypasses the image pipeline (no resizing, no metadata stripping)
                self.report("image", "请不要用 HTML 的 <img> 插入图片，改用 Markdown 写法 ![图片说明](文件名.jpg)，"
                            "这样图片才会被缩小并去除位置信息。", number)
            for alt, src in markdown_images(line):
                if not alt.strip():
                    self.report("image", f"图片“{src}”没有替代文本。请写成 ![描述图片内容的一句话]({src})", number)
                resolved = self.path("image", src, IMAGE_SUFFIXES, number)
                if resolved:
                    inline.append(ImageRef(resolved, alt.strip(), number))
        return cover_ref, tuple(inline)

    def consent(self, tags: tuple[str, ...], images: list[ImageRef]) -> dict[str, str]:
        value = self.meta.get("consent")
        records: dict[str, str] = {}
        # true/false is not a record: without a form number nobody can find the signed consent.
        if isinstance(value, bool) or (isinstance(value, dict) and any(isinstance(v, bool) for v in value.values())):
            self.report("consent", "consent 要写肖像使用同意书的编号，不能写 true 或 false。"
                        f"例如 consent: {fields_for(self.kind)['consent'].example}")
            value = None
        if isinstance(value, dict):
            base = posixpath.dirname(self.doc.path)
            records = {posixpath.normpath(posixpath.join(base, str(k))): str(v) for k, v in value.items() if v}
        elif value not in (None, ""):
            records = {"*": str(value)}
        needs = [self.ctx.vocabulary[t].label for t in tags if self.ctx.vocabulary[t].consent]
        if needs:
            for image in images:
                if "*" not in records and image.src not in records:
                    self.report("consent", f"专题“{needs[0]}”的图片需要肖像使用同意书，但图片“{posixpath.basename(image.src)}”没有登记。"
                                "请写 consent: 同意书编号（或按图片分别写 consent: {文件名: 编号}）；没有同意书请删去该图片。", image.line)
        return records

    def common(self) -> dict[str, Any] | None:
        self.unknown_fields()
        entry_id = self.text("id")
        if not entry_id:
            # Derived from the path: the same value every build, until the file is renamed.
            entry_id = derived_id(self.doc.path)
            self.doc.notices.append(Problem(self.doc.path, 1, "id", ID_DERIVED.format(id=entry_id), notice=True))
        else:
            try:
                uuid.UUID(entry_id)
            except ValueError:
                self.report("id", f"id“{entry_id}”不是 UUID。请改为 {derived_id(self.doc.path)}（之后永不修改）")
        title = self.text("title", required=True)
        date, _ = self.when("date", required=True)
        updated, _ = self.when("updated")
        tags = self.tags()
        cover, cover_alt = self.text("cover"), self.text("cover_alt")
        cover_ref, inline = self.images(cover, cover_alt)
        consent = self.consent(tags, [*([cover_ref] if cover_ref else []), *inline])
        summary = self.text("summary") or textmod.excerpt(self.doc.body)
        aliases, found = parse_aliases(self.meta.get("aliases"), self.kind, self.doc.path, self.doc.line_of("aliases"))
        self.problems += found
        if date is None or not title:
            return None
        return dict(
            source=self.doc.path, id=entry_id, title=title, date=date, tags=tags,
            slug=self.slug(), body=self.doc.body, summary=summary,
            char_count=textmod.char_count(self.doc.body),
            reading_minutes=textmod.reading_minutes(self.doc.body),
            city=self.text("city", required=fields_for(self.kind)["city"].required),
            cover=cover_ref, images=inline, consent=consent, updated=updated,
            draft=self.flag("draft"), aliases=aliases, lines=dict(self.doc.lines),
        )


def _story(check: _Checker, fields: dict[str, Any]) -> Story:
    value = check.meta.get("authors") or []
    names = [value] if isinstance(value, str) else value
    authors: list[Author] = []
    for name in split_list(names) if isinstance(names, list) else []:
        author = check.ctx.authors.get(str(name))
        if author is None:
            close = difflib.get_close_matches(str(name), list(check.ctx.authors), n=1)
            hint = f"是不是 {close[0]}？" if close else "请先在 content/authors.yml 中添加此作者。"
            check.report("authors", f"作者“{name}”不在 content/authors.yml 中。{hint}")
        else:
            authors.append(author)
    return Story(kind="story", authors=tuple(authors), featured=check.flag("featured"), **fields)


def _lecture(check: _Checker, fields: dict[str, Any]) -> Lecture:
    start, has_time = check.when("date")
    if start is not None and not has_time:
        check.report("date", "讲座的 date 要写开始时间，例如 date: 2026-03-05 14:30")
    end, _ = check.when("end")
    duration = check.meta.get("duration")
    if end is None and duration is not None:
        if not isinstance(duration, int) or isinstance(duration, bool) or not 0 < duration <= 24 * 60:
            check.report("duration", f"duration 应为分钟数（1–1440 的整数），例如 duration: 90，现在是“{duration}”。")
        else:
            end = fields["date"] + timedelta(minutes=duration)
    if end is not None and end <= fields["date"]:
        check.report("end", "结束时间早于开始时间。请检查 end 或 date。")
    speakers: list[Speaker] = []
    raw = check.meta.get("speakers")
    if not raw or not isinstance(raw, list):
        check.report("speakers", "缺少主讲人 speakers。请写成列表：speakers: [{name: 李红梅, affiliation: 省红十字会讲师}]")
    else:
        for item in raw:
            if isinstance(item, dict) and str(item.get("name") or "").strip():
                speakers.append(Speaker(str(item["name"]).strip(), str(item.get("affiliation") or "").strip()))
            elif isinstance(item, str) and item.strip():
                speakers.append(Speaker(item.strip()))
            else:
                check.report("speakers", f"主讲人“{item}”缺少 name。每位写 name 和 affiliation。")
    audience = check.meta.get("audience")
    if audience is not None and (not isinstance(audience, int) or isinstance(audience, bool) or audience < 0):
        check.report("audience", f"audience 应为人数（整数），例如 audience: 120，现在是“{audience}”。")
        audience = None
    slides = check.meta.get("slides")
    slides_path = check.path("slides", slides, (".pdf", ".pptx", ".odp")) if slides else ""
    announced, _ = check.when("announced")
    if announced is not None and announced > fields["date"]:
        check.report("announced", "announced（预告日期）晚于讲座开始时间。请写讲座预告发出的那一天，例如 "
                     f"announced: {fields['date'] - timedelta(days=30):%Y-%m-%d}")
    recording = _recording(check)
    return Lecture(
        kind="lecture", end=end or fields["date"] + timedelta(minutes=90), speakers=tuple(speakers),
        venue=check.text("venue", required=True), audience=audience,
        recording=recording, slides=slides_path, cancelled=check.flag("cancelled"),
        transcript=_transcript(check), announced=announced, **fields,
    )


def _transcript(check: _Checker) -> Transcript | None:
    value = check.meta.get("transcript")
    if value is None or value == "":
        return None
    path = check.path("transcript", value, tuple(TRANSCRIPT_TYPES))
    if not path:
        return None
    transcript, problems = read_transcript(path, check.ctx.content_dir)
    check.problems += problems
    return transcript


def _recording(check: _Checker) -> Recording | None:
    raw = check.meta.get("recording")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        check.report("recording", "recording 应写 file（本文件夹中的录音文件），例如 {file: recording.m4a}；"
                     "放在别处的录音写 url、type、length、duration。")
        return None
    line = lambda key: check.doc.lines.get(f"recording.{key}")  # noqa: E731
    mime, duration = str(raw.get("type") or ""), str(raw.get("duration") or "")
    if duration and not DURATION_RE.match(duration):
        check.report("recording", f"录音的 duration 应写成 时:分:秒，例如 \"00:45:10\"，现在是“{duration}”。"
                     "录音是本文件夹中的文件时可以不写（时长取自文件）。", line("duration"))
    if raw.get("file"):
        # The build publishes the file as MP3 and reads type, length and duration from what it published.
        file = check.path("recording", raw["file"], line=line("file"))
        return Recording(type=mime, duration=duration, file=file) if file else None
    url, length = str(raw.get("url") or ""), raw.get("length")
    if not url.startswith("https://") or not isinstance(length, int) or length <= 0:
        check.report("recording", "录音要么写 file（本文件夹中的文件），要么写 https:// 开头的 url 加 length（文件字节数）。")
        return None
    if mime not in PODCAST_MIMES:
        check.report("recording", f"放在别处的录音必须是 MP3（type: audio/mpeg）或 M4A（type: audio/mp4），"
                     f"播客应用才能播放，现在是“{mime}”。也可以把录音文件放进本文件夹，写 file，构建会转换为 MP3。",
                     line("type"))
    if not duration:
        check.report("recording", "放在别处的录音要写 duration（时:分:秒），例如 duration: \"00:45:10\"。")
    return Recording(type=mime, duration=duration, url=url, length=length)


def build_entry(doc: Document, kind: Kind, ctx: Context) -> tuple[Story | Lecture | None, list[Problem]]:
    """Validate one document; return its record (None if unusable) and its problems."""
    if doc.problems:
        return None, list(doc.problems)
    check = _Checker(doc, kind, ctx)
    fields = check.common()
    record: Story | Lecture | None = None
    if fields is not None:
        record = _story(check, fields) if kind == "story" else _lecture(check, fields)
    return (record if not check.problems else None), check.problems
