"""`scripts/new`: the text of a new story or lecture, with its front matter from the schema.

Pure: the date, the id and the existing slugs are passed in, so the result
depends only on the arguments. The new text is run through the same
validation as the build before it is written, and a file is never overwritten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from site_plugins import urls
from site_plugins.content.catalog import content_files
from site_plugins.content.dates import DateError, read_when
from site_plugins.content.frontmatter import FENCE, newlines, parse_text, split
from site_plugins.content.schema import KIND_FOLDERS, SCHEMA, Kind, Speaker
from site_plugins.content.text import is_slug, slugify, source_stem
from site_plugins.content.validate import Context, build_entry
from site_plugins.content.vocabulary import Vocabulary

FOLDERS: dict[Kind, str] = {kind: folder for folder, kind in KIND_FOLDERS.items()}  # inside content/
DEFAULT_DURATION = 90
# Fields scripts/new always decides itself, so they are not offered as comments.
_NOT_OFFERED = frozenset({"id", "slug", "end"})
_SLUG_LINE = re.compile(r"^slug:\s*[\"']?([a-z0-9-]+)[\"']?\s*$", re.M)


class ScaffoldError(Exception):
    """Why nothing was written: one Chinese message per line."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class Request:
    """What the editor asked for on the command line."""

    kind: Kind
    title: str
    tags: tuple[str, ...]
    date: str  # as written; empty: today (stories only)
    city: str = ""
    slug: str = ""
    bundle: bool = False
    draft: bool = False
    venue: str = ""
    speakers: tuple[str, ...] = ()  # "姓名:单位"
    duration: int = DEFAULT_DURATION


@dataclass(frozen=True)
class NewEntry:
    """A file to create: where, and what it holds."""

    kind: Kind
    path: str  # inside content/
    slug: str
    text: str
    date: datetime

    @property
    def url(self) -> str:
        return urls.entry(self.kind, self.slug)

    @property
    def preview(self) -> str:
        return urls.PREVIEW + self.url


def split_tags(values: Iterable[str]) -> list[str]:
    """`--tags a,b --tags c` (also with ，、 or spaces) -> [a, b, c]."""
    return [t for v in values for t in re.split(r"[,，、;；\s]+", v) if t]


def resolve_tags(names: Sequence[str], vocabulary: Vocabulary) -> tuple[list[str], list[str]]:
    """(labels, problems): every name as its narrative's Chinese label, duplicates dropped."""
    labels: list[str] = []
    problems: list[str] = []
    for name in names:
        key = vocabulary.resolve(name)
        if key is None:
            close = vocabulary.suggest(name)
            hint = f"是不是“{close}”？" if close else ""
            problems.append(f"--tags：未知专题“{name}”。{hint}可用专题：{vocabulary.labels()}。"
                            "新增专题请编辑 content/narratives.yml。")
        elif vocabulary[key].label not in labels:
            labels.append(vocabulary[key].label)
    if not names:
        problems.append(f"请用 --tags 写所属专题，例如 --tags 志愿服务（可选：{vocabulary.labels()}）")
    return labels, problems


def parse_speaker(text: str) -> Speaker | None:
    """"姓名:单位" (half- or full-width colon) -> Speaker; None if the name is empty."""
    name, *rest = re.split(r"[:：]", text, maxsplit=1)
    return Speaker(name.strip(), rest[0].strip() if rest else "") if name.strip() else None


def taken_slugs(content_dir: Path, kind: Kind) -> dict[str, str]:
    """slug -> content/ path of every page of `kind` the build reads, by file name or an explicit `slug:` line.

    A file that is not UTF-8 still names its slug (the check reports its encoding)."""
    taken: dict[str, str] = {}
    for file, rel in content_files(content_dir):
        if rel.split("/")[0] != FOLDERS[kind]:
            continue
        taken.setdefault(source_stem(rel), rel)
        parts = split(newlines(file.read_bytes().decode("utf-8-sig", "replace")))
        match = _SLUG_LINE.search(parts[0]) if parts is not None else None
        if match:
            taken[match.group(1)] = rel
    return taken


def target_path(kind: Kind, slug: str, bundle: bool) -> str:
    """Where the new page goes inside content/; lectures are always bundles."""
    folder = FOLDERS[kind]
    return f"{folder}/{slug}/index.md" if bundle or kind == "lecture" else f"{folder}/{slug}.md"


def scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly `value` (quoted only when needed)."""
    try:
        plain_ok = yaml.safe_load(f"k: {value}") == {"k": value}
    except yaml.YAMLError:
        plain_ok = False
    return value if plain_ok and value.strip() == value else json.dumps(value, ensure_ascii=False)


def front_matter(kind: Kind, given: dict[str, str]) -> str:
    """Front matter in schema order: given fields filled in, the other fields offered as comments."""
    lines = [FENCE]
    for spec in SCHEMA:
        if kind not in spec.kinds:
            continue
        if spec.name in given:
            value = given[spec.name]
            lines.append(f"{spec.name}:{value}" if value.startswith("\n") else f"{spec.name}: {value}")
        elif spec.name not in _NOT_OFFERED:
            lines.append(f"# {spec.name}: {spec.example}")
    lines.append(FENCE)
    return "\n".join(lines)


STORY_BODY = """\
<!-- 以 # 开头的字段是可选的：删去 # 并改写示例即可使用。字段说明见 docs/EDITORS_GUIDE.zh.md。
     写完后运行 scripts/check 检查，scripts/serve 预览。这段注释可以删除。 -->

在这里写导语：一两句话交代人物、时间、地点和发生的事。它会作为摘要显示在列表和订阅中（除非写了 summary）。

## 小标题

正文。插入图片的写法（替代文本、同意书）见编辑指南的“图片”一节。

## 小标题

正文。
"""

LECTURE_BODY = """\
<!-- 以 # 开头的字段是可选的：删去 # 并改写示例即可使用。字段说明见 docs/EDITORS_GUIDE.zh.md。
     封面、录音和讲义文件放在本文件夹里。写完后运行 scripts/check 检查，scripts/serve 预览。 -->

在这里写讲座简介：讲什么、适合谁听、听完能学会什么。

## 讲座内容

- 要点一
- 要点二

## 报名方式

写明报名或参加的方式。
"""


def plan(request: Request, *, today: datetime, uid: str, vocabulary: Vocabulary,
         taken: dict[str, str], content_dir: Path) -> NewEntry:
    """The new entry for `request`, validated; raises ScaffoldError listing every problem."""
    problems: list[str] = []
    title = request.title.strip()
    if not title:
        problems.append("标题不能为空。请写成 scripts/new story \"标题\" --tags 志愿服务")
    labels, tag_problems = resolve_tags(request.tags, vocabulary)
    problems += tag_problems

    date_text = request.date.strip() or (today.date().isoformat() if request.kind == "story" else "")
    when: datetime | None = None
    if not date_text:
        problems.append("讲座要写开始时间，例如 --date \"2026-12-20 14:30\"")
    else:
        try:
            when, has_time, written = read_when(date_text)
            date_text = written or date_text  # 2026年3月5日 is written the site's way
            if request.kind == "lecture" and not has_time:
                problems.append(f"讲座的 --date 要写到分钟，例如 --date \"{when.date().isoformat()} 14:30\"")
        except DateError as exc:
            problems.append(f"--date：{exc}")

    given: dict[str, str] = {"id": uid, "title": scalar(title)}
    if when is not None:
        given["date"] = date_text  # read_when accepted it, and front matter keeps dates as text
    given["tags"] = "[" + ", ".join(labels) + "]"
    if request.city.strip():
        given["city"] = scalar(request.city.strip())
    if request.draft:
        given["draft"] = "true"
    if request.kind == "lecture":
        problems += _lecture_fields(request, given)
        if when is not None:  # the feeds date a lecture by its announcement: today, or its start if earlier
            given["announced"] = min(today, when).date().isoformat()

    slug = request.slug.strip() or slugify(title)
    if not is_slug(slug):
        problems.append(f"--slug“{slug}”只能包含小写英文字母、数字和连字符，例如 --slug {slugify(slug)}")
    path = target_path(request.kind, slug, request.bundle)
    if (content_dir / path).exists():
        problems.append(f"content/{path} 已经存在，不会覆盖。请换一个网址名，例如 --slug {slug}-2")
    elif slug in taken:
        problems.append(f"网址名 {slug} 已被 content/{taken[slug]} 使用。请换一个，例如 --slug {slug}-2")
    if problems or when is None:
        raise ScaffoldError(problems)

    text = front_matter(request.kind, given) + "\n\n" + (STORY_BODY if request.kind == "story" else LECTURE_BODY)
    ctx = Context(vocabulary, {}, content_dir)
    _entry, found = build_entry(parse_text(text, path), request.kind, ctx)
    if found:  # a safety net: the template and the schema disagree
        raise ScaffoldError([f"{p.field}: {p.message}" for p in found])
    return NewEntry(request.kind, path, slug, text, when)


def _lecture_fields(request: Request, given: dict[str, str]) -> list[str]:
    problems = []
    if not request.venue.strip():
        problems.append("讲座要写地点，例如 --venue \"太原市迎泽区红十字会培训教室\"")
    else:
        given["venue"] = scalar(request.venue.strip())
    if "city" not in given:
        problems.append("讲座要写城市，例如 --city 太原")
    if not 0 < request.duration <= 24 * 60:
        problems.append(f"--duration 应为 1–1440 的分钟数，现在是 {request.duration}。")
    given["duration"] = str(request.duration)
    speakers = [parse_speaker(s) for s in request.speakers]
    if not request.speakers or None in speakers:
        problems.append("讲座要写主讲人，例如 --speaker \"李红梅:省红十字会应急救护培训中心讲师\"（可写多个 --speaker）")
    else:
        given["speakers"] = "\n" + "\n".join(
            f"  - name: {scalar(s.name)}" + (f"\n    affiliation: {scalar(s.affiliation)}" if s.affiliation else "")
            for s in speakers if s is not None)
    return problems


def write(content_dir: Path, entry: NewEntry) -> Path:
    """Create the file; never overwrite (FileExistsError if it appeared meanwhile)."""
    file = content_dir / entry.path
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("x", encoding="utf-8", newline="\n") as out:
        out.write(entry.text)
    return file
