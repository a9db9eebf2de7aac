"""Story and Lecture records and the front-matter schema, defined once.

The schema drives validation (`validate.py` reads each field by its `type`,
reports a missing required field with its `missing_zh` or `example`, fills
`default`), `scripts/check`, `scripts/new` and the field table of the
editors' guide. `is_public` is the one publication rule.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from site_plugins import urls

Kind = Literal["story", "lecture"]
KIND_FOLDERS: dict[str, Kind] = {"stories": "story", "lectures": "lecture"}
# The image formats a page may use, by suffix, with their media types: every reader of images asks here.
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
               ".gif": "image/gif"}
IMAGE_SUFFIXES = tuple(IMAGE_TYPES)
# What podcast apps take as artwork (Apple's, and the ID3 picture in a recording): JPEG or PNG.
ARTWORK_SUFFIXES = (".jpg", ".png")
# What feed readers take as a channel's logo or icon: the images pages use, but WebP.
FEED_IMAGE_SUFFIXES = tuple(suffix for suffix in IMAGE_SUFFIXES if suffix != ".webp")
# Every raster format a camera or editor may drop into content/: none is ever published as it is
# (rc-images publishes its own variants under names it derives).
RASTER_SUFFIXES = (*IMAGE_SUFFIXES, ".tif", ".tiff", ".bmp", ".heic", ".heif", ".avif")
LECTURE_MINUTES = 90  # a lecture's length when it gives neither duration nor end


def artwork_type(name: str) -> str:
    """The media type of podcast artwork named `name`; "" for a format podcast apps refuse."""
    suffix = posixpath.splitext(name)[1].lower()
    return IMAGE_TYPES[suffix] if suffix in ARTWORK_SUFFIXES else ""


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter field: who has it, whether it is required, how editors write it."""

    name: str
    kinds: tuple[Kind, ...]
    required: bool
    type: str  # how validation reads it: a key of fields.READERS
    type_zh: str
    doc_zh: str
    example: str
    default: object = None  # the value when the field is absent
    missing_zh: str = ""  # what to tell an editor who left a required field out; default names `example`

    def missing(self) -> str:
        return self.missing_zh or f"缺少必填字段 {self.name}。请添加一行，例如 {self.name}: {self.example}"


BOTH: tuple[Kind, ...] = ("story", "lecture")
STORY: tuple[Kind, ...] = ("story",)
LECTURE: tuple[Kind, ...] = ("lecture",)

SCHEMA: tuple[FieldSpec, ...] = (
    FieldSpec("id", BOTH, False, "uuid", "UUID", "永久编号，订阅源用它识别条目；创建后永不修改，改标题、改文件名都不要动它。scripts/new 会自动生成；不写时按文件路径推算（文件改名前不变），scripts/check --fix 和提交前检查会把它写进文件。", "7c9e6679-7425-40de-944b-e07fc1f90ae7"),
    FieldSpec("title", BOTH, True, "text", "文本", "标题。", "太原街头的“救”在身边"),
    FieldSpec("date", BOTH, True, "date", "日期或日期时间", "故事：发布日期，未来日期表示定时发布。讲座：开始时间，必须写到分钟。不写时区即北京时间。", "2026-03-05 14:30",
              missing_zh="缺少必填字段 date。请写成 date: 2026-03-05"),
    FieldSpec("tags", BOTH, True, "tags", "专题列表", "所属专题，一个或多个；可写中文名、key 或别名，见专题词表。", "[志愿服务, 应急救护]"),
    FieldSpec("summary", BOTH, False, "text", "文本", "一句话摘要，用于列表卡片、搜索和订阅源；不写则取正文第一段。", "二十名志愿者在太原火车站教旅客心肺复苏。"),
    FieldSpec("authors", STORY, False, "authors", "作者列表", "作者，写 content/authors.yml 中的 key。", "[wangli]"),
    FieldSpec("cover", BOTH, False, "text", "图片路径", "封面图，相对于本文件的路径。", "cover.jpg"),
    FieldSpec("cover_alt", BOTH, False, "text", "文本", "封面图的文字说明（替代文本）；写了 cover 就必须写。", "志愿者在公交站旁演示心肺复苏"),
    FieldSpec("city", STORY, False, "text", "文本", "故事发生的城市。", "太原"),
    FieldSpec("city", LECTURE, True, "text", "文本", "讲座所在城市。", "太原"),
    FieldSpec("slug", BOTH, False, "text", "英文网址名", "网址中的名称，只能用小写字母、数字和连字符；不写则用文件名或文件夹名。", "taiyuan-jijiu"),
    FieldSpec("aliases", BOTH, False, "aliases", "旧网址列表", "改过 slug 或文件名后，写上以前的网址：旧的 slug，或以 / 开头的旧路径；旧链接会自动跳转到本页。scripts/check 发现网址变了会提示你加这一行。", "[taiyuan-jijiu-2025]"),
    FieldSpec("updated", BOTH, False, "date", "日期", "最近一次实质性修改的日期。", "2026-03-20"),
    FieldSpec("featured", STORY, False, "flag", "true/false", "首页头条：true 时本故事带封面图显示在首页最上方（几篇都写时取最新的一篇）；都不写则取最新一篇有封面的故事。", "true"),
    FieldSpec("draft", BOTH, False, "flag", "true/false", "草稿：true 时只在预览中显示，不会发布。", "true"),
    FieldSpec("consent", BOTH, False, "consent", "文本或映射", "肖像使用同意书编号；需要同意书的专题（如养老服务）中有图片时必填。可对每张图分别写：{photo.jpg: SXRC-2026-014}。", "肖像使用同意书 SXRC-2026-014"),
    FieldSpec("duration", LECTURE, False, "minutes", "分钟数", f"讲座时长（分钟）；与 end 二选一，都不写按 {LECTURE_MINUTES} 分钟计。", "90", default=LECTURE_MINUTES),
    FieldSpec("end", LECTURE, False, "date", "日期时间", "讲座结束时间；与 duration 二选一。", "2026-03-05 16:00"),
    FieldSpec("speakers", LECTURE, True, "speakers", "主讲人列表", "主讲人，每人写 name 和 affiliation（职务/单位）。", "[{name: 李红梅, affiliation: 省红十字会应急救护培训中心讲师}]",
              missing_zh="缺少主讲人 speakers。请写成列表：speakers: [{name: 李红梅, affiliation: 省红十字会讲师}]"),
    FieldSpec("venue", LECTURE, True, "text", "文本", "地点。", "太原市迎泽区红十字会培训教室"),
    FieldSpec("audience", LECTURE, False, "count", "人数", "现场听众人数，讲座举办后填写。", "120"),
    FieldSpec("recording", LECTURE, False, "recording", "录音", "讲座录音：file（本文件夹中的录音，MP3、M4A、WAV、FLAC、Ogg、AMR 均可；构建统一转换为 MP3，类型、大小和时长取自转换后的文件）；放在别处的 MP3/M4A 写 url、type、length（字节数）、duration（时:分:秒）。", "{file: recording.m4a}"),
    FieldSpec("transcript", LECTURE, False, "transcript", "文件路径", "讲座文字稿：本文件夹中的 WebVTT（.vtt，带时间；有录音时，读者点时间可从该处收听）或纯文本（.txt）文件。时间不能超过录音长度。", "transcript.vtt"),
    FieldSpec("announced", LECTURE, False, "date", "日期", "讲座预告发出的日期，订阅源中本讲座的日期；不写则按讲座开始前 30 天计。订阅源不会出现未来的日期：预告日期还没到的讲座，到那天才进入订阅源。scripts/new 会写上当天。", "2026-11-20"),
    FieldSpec("slides", LECTURE, False, "text", "文件路径", "讲义/幻灯片文件（PDF），相对于本文件。", "slides.pdf"),
    FieldSpec("cancelled", LECTURE, False, "flag", "true/false", "讲座取消：true 时仍在日历中显示为已取消。", "true"),
)
# Fields MkDocs and Material read themselves; accepted, not validated here.
PASSTHROUGH = frozenset({"template", "hide", "search", "icon", "status"})


def fields_for(kind: Kind) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in SCHEMA if kind in spec.kinds}


@dataclass(frozen=True)
class Author:
    key: str
    name: str
    role: str = ""


@dataclass(frozen=True)
class Speaker:
    name: str
    affiliation: str = ""


@dataclass(frozen=True)
class ImageRef:
    """An image a page uses: its path inside content/, alt text and source line."""

    src: str
    alt: str
    line: int
    is_cover: bool = False


@dataclass(frozen=True)
class Recording:
    """The recording as front matter describes it (a file is transcoded; see `Audio`)."""

    type: str
    duration: str
    file: str = ""  # path inside content/
    url: str = ""
    length: int = 0


# Enclosure types Apple Podcasts accepts for audio: a recording hosted elsewhere must be one of them.
PODCAST_MIMES = frozenset({"audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/aac"})


@dataclass(frozen=True)
class Audio:
    """The recording as the build published it, read from the published file (`Published.audio`)."""

    url: str  # site path (media/<hash>/<slug>.mp3), or the absolute URL of a recording hosted elsewhere
    mime: str
    bytes: int
    seconds: float

    @property
    def whole_seconds(self) -> int:
        return round(self.seconds)
@dataclass(frozen=True)
class Cue:
    """One timed passage of a transcript; `start`/`end` in seconds (None in a plain-text transcript)."""

    text: str
    line: int
    start: float | None = None
    end: float | None = None

    @property
    def label(self) -> str:
        """The start as the reader sees it: 1:05 or 1:02:05."""
        if self.start is None:
            return ""
        whole = int(self.start)
        hours, rest = divmod(whole, 3600)
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


@dataclass(frozen=True)
class Transcript:
    """A lecture's transcript file (path inside content/) and what it says."""

    file: str
    type: str  # text/vtt or text/plain
    cues: tuple[Cue, ...]


# A lecture without `announced` is taken as announced this long before it starts.
ANNOUNCE_LEAD = timedelta(days=30)


@dataclass(frozen=True)
class Entry:
    """Fields shared by stories and lectures."""

    kind: Kind
    source: str  # path inside content/, POSIX
    id: str
    title: str
    date: datetime
    tags: tuple[str, ...]
    slug: str
    body: str
    summary: str
    char_count: int
    reading_minutes: int
    city: str = ""
    cover: ImageRef | None = None
    images: tuple[ImageRef, ...] = ()
    consent: dict[str, str] = field(default_factory=dict)
    updated: datetime | None = None
    draft: bool = False
    aliases: tuple[str, ...] = ()  # earlier addresses, site paths like stories/old-name/ (content/aliases.py)
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return urls.entry(self.kind, self.slug)

    @property
    def modified(self) -> datetime:
        return max(self.updated, self.date) if self.updated else self.date

    @property
    def published(self) -> datetime:
        """The date a feed gives the entry: a story's date, a lecture's announcement."""
        return self.date

    @property
    def revised(self) -> datetime:
        """The feed's "updated": the last change, never before `published`."""
        return max(self.updated, self.published) if self.updated else self.published


@dataclass(frozen=True)
class Story(Entry):
    authors: tuple[Author, ...] = ()
    featured: bool = False  # the editor's pick for the top of the home page


@dataclass(frozen=True)
class Lecture(Entry):
    end: datetime | None = None
    speakers: tuple[Speaker, ...] = ()
    venue: str = ""
    audience: int | None = None
    recording: Recording | None = None
    slides: str = ""  # path inside content/
    cancelled: bool = False

    @property
    def recording_line(self) -> int:
        return self.lines.get("recording", 1)
    transcript: Transcript | None = None
    announced: datetime | None = None

    @property
    def published(self) -> datetime:
        # Feeds must not carry a date in the future, so an upcoming lecture is dated by its announcement.
        return self.announced if self.announced is not None else self.date - ANNOUNCE_LEAD

    def is_upcoming(self, now: datetime) -> bool:
        return self.date > now


def withheld_reason(entry: Entry, now: datetime) -> str:
    """Why `entry` is not on the public site at `now` ("草稿", "定时发布"), or "" if it is.

    The one publication rule: listings, feeds, the calendar, search, the
    sitemap, `scripts/check`'s link check and the preview banner all ask it.
    Lectures dated later are published (as upcoming); stories wait for their date.
    """
    if entry.draft:
        return "草稿"
    if entry.kind == "story" and entry.date > now:
        return "定时发布"
    return ""


def is_public(entry: Entry, now: datetime) -> bool:
    return not withheld_reason(entry, now)
