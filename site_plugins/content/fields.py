"""Read one front-matter field by its schema type, or report why it cannot be read.

`READERS` maps each `FieldSpec.type` to a reader; `validate.py` walks the
schema and calls them, then applies the rules that join several fields.
"""

from __future__ import annotations

import difflib
import posixpath
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from site_plugins.content.aliases import parse_aliases
from site_plugins.content.dates import DateError, read_when
from site_plugins.content.frontmatter import Document, Rewrite
from site_plugins.content.paths import locate
from site_plugins.content.problems import Problem
from site_plugins.content.schema import (
    PODCAST_MIMES,
    Author,
    FieldSpec,
    Kind,
    Recording,
    Speaker,
    Transcript,
    fields_for,
)
from site_plugins.content.suggest import derived_id
from site_plugins.content.transcripts import TYPES as TRANSCRIPT_TYPES
from site_plugins.content.transcripts import read_transcript
from site_plugins.content.vocabulary import Vocabulary

DURATION_RE = re.compile(r"^(\d{1,2}):([0-5]\d):([0-5]\d)$")
# The notice for a story or lecture without id; `scripts/check --fix` recognises it by its start.
ID_DERIVED = ("没有写永久编号 id，本次按文件路径使用 id: {id}。改文件名后它会变，订阅者会把本文当成新条目；"
              "请运行 scripts/check --fix 把它写进文件（提交时会自动写入）。")
DATE_REWRITTEN = ("日期“{typed}”已按 {value} 读取。请写成 {name}: {value}；scripts/check --fix 会替你改写"
                  "（提交时会自动改写）。")
_LIST_SEPARATORS_RE = re.compile(r"[，、,；;]")
_FULL_WIDTH_BRACKETS = "［］【】〔〕（）()[]"


def split_list(items: list[Any]) -> list[str]:
    """List items as editors type them on a Chinese keyboard: split on ，、 and stripped of brackets."""
    out: list[str] = []
    for item in items:
        parts = _LIST_SEPARATORS_RE.split(str(item).strip().strip(_FULL_WIDTH_BRACKETS))
        out += [p.strip(" \u3000" + _FULL_WIDTH_BRACKETS) for p in parts if p.strip(" \u3000" + _FULL_WIDTH_BRACKETS)]
    return out


@dataclass(frozen=True)
class Context:
    """What validation needs besides the file: the vocabulary, authors and content root."""

    vocabulary: Vocabulary
    authors: dict[str, Author]
    content_dir: Path


def is_absent(value: object) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


class Reader:
    """The problems of one document, and the readers of its field types."""

    def __init__(self, doc: Document, kind: Kind, ctx: Context) -> None:
        self.doc, self.kind, self.ctx = doc, kind, ctx
        self.meta = doc.meta
        self.problems: list[Problem] = []
        self.has_time: dict[str, bool] = {}  # date fields written with a time of day

    def report(self, name: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.doc.path, line or self.doc.line_of(name), name, message))

    def example(self, name: str) -> str:
        return fields_for(self.kind)[name].example

    def missing(self, spec: FieldSpec) -> Any:
        """A required field left out, told with the schema's help text; the value to use instead.

        `id` is optional: without one, the id derived from the path is used, with a notice.
        """
        if spec.name == "id":
            # Derived from the path: the same value every build, until the file is renamed.
            derived = derived_id(self.doc.path)
            self.doc.notices.append(Problem(self.doc.path, 1, "id", ID_DERIVED.format(id=derived), notice=True))
            return derived
        if spec.name == "tags":
            self.report("tags", f"缺少必填字段 tags。请写所属专题，例如 tags: [志愿服务]（可选：{self.ctx.vocabulary.labels()}）")
        else:
            self.report(spec.name, spec.missing())
        return spec.default

    def suggested_id(self) -> str:
        return derived_id(self.doc.path)

    def path(self, name: str, value: object, suffixes: tuple[str, ...] = (), line: int | None = None,
             what: str = "文件") -> str:
        """A path relative to the page as a content/ path; '' (and a problem) if unusable."""
        resolved, error = locate(self.ctx.content_dir, self.doc.path, str(value), suffixes, what)
        if error:
            self.report(name, error, line)
        return resolved

    # --- one reader per FieldSpec.type: (spec, value present in the front matter) -> value ---

    def text(self, spec: FieldSpec, value: Any) -> str:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.report(spec.name, f"{spec.name} 应为一段文字，例如 {spec.name}: {spec.example}")
            return ""
        return str(value).strip()

    def uuid(self, spec: FieldSpec, value: Any) -> str:
        text = self.text(spec, value)
        try:
            uuid.UUID(text)
        except ValueError:
            self.report("id", f"id“{text}”不是 UUID。请改为 {self.suggested_id()}（之后永不修改）")
        return text

    def date(self, spec: FieldSpec, value: Any) -> datetime | None:
        try:
            when, self.has_time[spec.name], written = read_when(value)
        except DateError as exc:
            self.report(spec.name, str(exc))
            return None
        if written:  # 2025年1月1日, 2025/1/1, full-width digits: read as meant, to be written the site's way
            line = self.doc.line_of(spec.name)
            self.doc.notices.append(Problem(self.doc.path, line, spec.name, DATE_REWRITTEN.format(
                typed=str(value).strip(), value=written, name=spec.name), notice=True))
            self.doc.rewrites.append(Rewrite(line, spec.name, str(value).strip(), written))
        return when

    def flag(self, spec: FieldSpec, value: Any) -> bool:
        if not isinstance(value, bool):
            self.report(spec.name, f"{spec.name} 只能写 true 或 false，现在是“{value}”。")
            return False
        return value

    def tags(self, spec: FieldSpec, value: Any) -> tuple[str, ...]:
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list):
            self.report("tags", "tags 应为列表，例如 tags: [志愿服务, 捐赠]")
            return ()
        names = split_list(names)  # 志愿服务，救灾救助 or 【志愿服务、救灾救助】: the meaning is plain
        vocab = self.ctx.vocabulary
        keys: list[str] = []
        for name in names:
            key = vocab.resolve(str(name))
            if key is None:
                close = vocab.suggest(str(name))
                hint = f"是不是“{close}”？" if close else ""
                self.report("tags", f"未知专题“{name}”。{hint}可用专题：{vocab.labels()}。新增专题请编辑 content/narratives.yml。")
            elif key not in keys:
                keys.append(key)
        return tuple(keys)

    def authors(self, spec: FieldSpec, value: Any) -> tuple[Author, ...]:
        names = [value] if isinstance(value, str) else value
        found: list[Author] = []
        for name in split_list(names) if isinstance(names, list) else []:
            author = self.ctx.authors.get(str(name))
            if author is None:
                close = difflib.get_close_matches(str(name), list(self.ctx.authors), n=1)
                hint = f"是不是 {close[0]}？" if close else "请先在 content/authors.yml 中添加此作者。"
                self.report("authors", f"作者“{name}”不在 content/authors.yml 中。{hint}")
            else:
                found.append(author)
        return tuple(found)

    def minutes(self, spec: FieldSpec, value: Any) -> int | None:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 24 * 60:
            self.report(spec.name, f"{spec.name} 应为分钟数（1–1440 的整数），例如 {spec.name}: {spec.example}，现在是“{value}”。")
            return None
        return value

    def count(self, spec: FieldSpec, value: Any) -> int | None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.report(spec.name, f"{spec.name} 应为人数（整数），例如 {spec.name}: {spec.example}，现在是“{value}”。")
            return None
        return value

    def speakers(self, spec: FieldSpec, value: Any) -> tuple[Speaker, ...]:
        if not isinstance(value, list):
            self.report(spec.name, spec.missing())
            return ()
        found: list[Speaker] = []
        for item in value:
            if isinstance(item, dict) and str(item.get("name") or "").strip():
                found.append(Speaker(str(item["name"]).strip(), str(item.get("affiliation") or "").strip()))
            elif isinstance(item, str) and item.strip():
                found.append(Speaker(item.strip()))
            else:
                self.report("speakers", f"主讲人“{item}”缺少 name。每位写 name 和 affiliation。")
        return tuple(found)

    def consent(self, spec: FieldSpec, value: Any) -> dict[str, str]:
        """Consent records: {"*": form} for the whole page, else image path -> form."""
        # true/false is not a record: without a form number nobody can find the signed consent.
        if isinstance(value, bool) or (isinstance(value, dict) and any(isinstance(v, bool) for v in value.values())):
            self.report("consent", f"consent 要写肖像使用同意书的编号，不能写 true 或 false。例如 consent: {spec.example}")
            return {}
        if isinstance(value, dict):
            base = posixpath.dirname(self.doc.path)
            return {posixpath.normpath(posixpath.join(base, str(k))): str(v) for k, v in value.items() if v}
        return {"*": str(value)}

    def recording(self, spec: FieldSpec, raw: Any) -> Recording | None:
        if not isinstance(raw, dict):
            self.report("recording", "recording 应写 file（本文件夹中的录音文件），例如 {file: recording.m4a}；"
                        "放在别处的录音写 url、type、length、duration。")
            return None

        def line(key: str) -> int | None:
            return self.doc.lines.get(f"recording.{key}")

        mime, duration = str(raw.get("type") or ""), str(raw.get("duration") or "")
        if duration and not DURATION_RE.match(duration):
            self.report("recording", f"录音的 duration 应写成 时:分:秒，例如 \"00:45:10\"，现在是“{duration}”。"
                        "录音是本文件夹中的文件时可以不写（时长取自文件）。", line("duration"))
        if raw.get("file"):
            # The build publishes the file as MP3 and reads type, length and duration from what it published.
            file = self.path("recording", raw["file"], line=line("file"), what="录音")
            return Recording(type=mime, duration=duration, file=file) if file else None
        url, length = str(raw.get("url") or ""), raw.get("length")
        if not url.startswith("https://") or not isinstance(length, int) or length <= 0:
            self.report("recording", "录音要么写 file（本文件夹中的文件），要么写 https:// 开头的 url 加 length（文件字节数）。")
            return None
        if mime not in PODCAST_MIMES:
            self.report("recording", f"放在别处的录音必须是 MP3（type: audio/mpeg）或 M4A（type: audio/mp4），"
                        f"播客应用才能播放，现在是“{mime}”。也可以把录音文件放进本文件夹，写 file，构建会转换为 MP3。",
                        line("type"))
        if not duration:
            self.report("recording", "放在别处的录音要写 duration（时:分:秒），例如 duration: \"00:45:10\"。")
        return Recording(type=mime, duration=duration, url=url, length=length)


    def aliases(self, spec: FieldSpec, value: Any) -> tuple[str, ...]:
        found, problems = parse_aliases(value, self.kind, self.doc.path, self.doc.line_of(spec.name))
        self.problems += problems
        return found


    def transcript(self, spec: FieldSpec, value: Any) -> Transcript | None:
        path = self.path(spec.name, value, tuple(TRANSCRIPT_TYPES))
        if not path:
            return None
        transcript, found = read_transcript(path, self.ctx.content_dir)
        self.problems += [p for p in found if not p.notice]
        self.doc.notices += [p for p in found if p.notice]  # invisible characters removed: published anyway
        return transcript


READERS: dict[str, Callable[[Reader, FieldSpec, Any], Any]] = {
    "text": Reader.text, "uuid": Reader.uuid, "date": Reader.date, "flag": Reader.flag,
    "tags": Reader.tags, "authors": Reader.authors, "minutes": Reader.minutes, "count": Reader.count,
    "speakers": Reader.speakers, "aliases": Reader.aliases, "transcript": Reader.transcript, "consent": Reader.consent, "recording": Reader.recording,
}
