"""The web editor's (Decap CMS) configuration, generated from the schema, the vocabulary and the authors.

One source of truth: every field of `SCHEMA` gets a widget here, in schema order (the order
`scripts/new` writes, which the editor keeps when it saves), with the schema's Chinese hint.
A schema field without a widget raises `MissingWidget`, so a new field cannot be forgotten.
Pure: no MkDocs, no file access; the adapter passes everything in and writes the result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import yaml

from site_plugins import urls
from site_plugins.content.frontmatter import split_rule
from site_plugins.content.schema import KIND_FOLDERS, SCHEMA, Author, FieldSpec, Kind
from site_plugins.content.text import HAN_PER_MINUTE, SECONDS_PER_IMAGE, SLUG_RE, WORDS_PER_MINUTE
from site_plugins.content.vocabulary import Vocabulary

Field = dict[str, Any]
LOCAL_PORT = 8081
# Written without a zone: the build reads such a time as Asia/Shanghai (content/dates.py).
DATETIME = "YYYY-MM-DD HH:mm"
DATE = "YYYY-MM-DD"
DATE_PATTERN = (r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])( ([01]\d|2[0-3]):[0-5]\d)?$",
                "日期应写成 2026-03-05 或 2026-03-05 14:30（北京时间），月份 01–12，日期 01–31。")
SLUG_PATTERN = (SLUG_RE.pattern, "网址名只能用小写英文字母、数字和连字符，例如 taiyuan-jijiu（可用标题的拼音）。")
# Chinese labels of the fields; the hints are the schema's own text (the same as the editors' guide).
LABELS: dict[str, str] = {
    "id": "永久编号", "title": "标题", "date": "日期", "tags": "专题", "summary": "摘要", "authors": "作者",
    "cover": "封面图", "cover_alt": "封面图说明（替代文本）", "city": "城市", "slug": "网址名", "aliases": "旧网址",
    "updated": "更新日期", "featured": "首页头条", "draft": "草稿", "consent": "肖像使用同意书", "duration": "时长（分钟）",
    "end": "结束时间", "speakers": "主讲人", "venue": "地点", "audience": "听众人数",
    "recording": "录音/录像", "transcript": "文字稿", "slides": "讲义/幻灯片", "cancelled": "已取消", "announced": "预告日期",
}
MEDIA_TYPES = ("audio/mpeg", "audio/ogg", "audio/mp4", "audio/aac", "video/mp4")


class MissingWidget(Exception):
    """A schema field has no widget in the web editor."""


def _string(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    return {"widget": "string"}


def _text(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    return {"widget": "text"}


def _date(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    only_day = spec.name in ("updated", "announced")
    return {"widget": "datetime", "format": DATE if only_day else DATETIME, "date_format": DATE,
            "time_format": False if only_day else "HH:mm", "picker_utc": False,
            **({"default": ""} if spec.name != "date" else {}), "pattern": list(DATE_PATTERN)}


def _tags(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    return {"widget": "select", "multiple": True, "min": 1,
            "options": [{"label": n.label, "value": n.label} for n in ctx.vocabulary.narratives]}


def _authors(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    return {"widget": "select", "multiple": True,
            "options": [{"label": f"{a.name}（{a.role}）" if a.role else a.name, "value": a.key}
                        for a in ctx.authors.values()]}


def _image(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    return {"widget": "image", "choose_url": False}


def _file(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    return {"widget": "file", "choose_url": False}


def _alt(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    # rc-text (assets/admin/rc-cms.js) refuses to save an empty value while `cover` is set.
    return {"widget": "rc-text", "required_with": "cover",
            "required_message": "写了封面图，就必须写封面图说明：用一句话描述图片内容，例如“志愿者在公交站旁演示心肺复苏”。"}


def _slug(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    # Required for a new entry (it names the new file); an existing file keeps its name when left empty.
    return {"widget": "rc-text", "required_new": True, "pattern": list(SLUG_PATTERN),
            "required_message": "新建时请写网址名（标题的拼音，小写字母、数字和连字符），例如 taiyuan-jijiu。"}


def _old_addresses(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    return {"widget": "list", "default": []}


def _bool(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    return {"widget": "boolean", "default": False}


def _minutes(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    return {"widget": "number", "value_type": "int", "min": 1, "max": 24 * 60}


def _count(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    return {"widget": "number", "value_type": "int", "min": 0}


def _speakers(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    return {"widget": "list", "min": 1, "summary": "{{fields.name}}", "label_singular": "主讲人", "fields": [
        {"name": "name", "label": "姓名", "widget": "string"},
        {"name": "affiliation", "label": "职务/单位", "widget": "string", "required": False}]}


def _recording(spec: FieldSpec, kind: Kind, ctx: Context) -> Field:
    optional = {"required": False}
    return {"widget": "object", "collapsed": True, "fields": [
        {"name": "file", "label": "文件（放在本讲座文件夹中）", "widget": "file", "choose_url": False, **optional},
        {"name": "url", "label": "或网址", "widget": "string", **optional},
        {"name": "type", "label": "类型", "widget": "select", "options": list(MEDIA_TYPES)},
        {"name": "duration", "label": "时长（时:分:秒）", "widget": "string",
         "pattern": [r"^\d{1,2}:[0-5]\d:[0-5]\d$", "时长写成 时:分:秒，例如 00:45:10。"]},
        {"name": "length", "label": "字节数（用网址时必填）", "widget": "number", "value_type": "int", **optional}]}


WIDGETS: dict[str, Callable[[FieldSpec, Kind, Context], Field]] = {
    "id": lambda spec, kind, ctx: {"widget": "hidden"},  # filled with a uuid4 on first save (rc-cms.js)
    "title": _string, "date": _date, "tags": _tags, "summary": _text, "authors": _authors,
    "cover": _image, "cover_alt": _alt, "city": _string, "slug": _slug, "aliases": _old_addresses, "updated": _date,
    "featured": _bool, "draft": _bool, "consent": _string, "duration": _minutes, "end": _date, "speakers": _speakers,
    "venue": _string, "audience": _count, "recording": _recording, "transcript": _file, "slides": _file, "cancelled": _bool, "announced": _date,
}


class Context:
    """What the widgets are built from."""

    def __init__(self, vocabulary: Vocabulary, authors: Mapping[str, Author]) -> None:
        self.vocabulary = vocabulary
        self.authors = authors


def entry_fields(kind: Kind, ctx: Context) -> list[Field]:
    """The editor's fields of a story or lecture, in schema order, then the body."""
    fields: list[Field] = []
    for spec in SCHEMA:
        if kind not in spec.kinds:
            continue
        make = WIDGETS.get(spec.name)
        if make is None or spec.name not in LABELS:
            raise MissingWidget(f"schema field {spec.name!r} has no widget or label in site_plugins/cms/config.py")
        field: Field = {"name": spec.name, "label": LABELS[spec.name], **make(spec, kind, ctx)}
        if field["widget"] != "hidden":
            field["hint"] = spec.doc_zh
        field["required"] = spec.required and spec.name != "id"
        fields.append(field)
    fields.append({"name": "body", "label": "正文", "widget": "markdown", "required": False,
                   "hint": "正文用 Markdown 书写；插入的图片必须写替代文本（图片说明）。"})
    return fields


def _entries(name: str, label: str, singular: str, folder: str, kind: Kind, ctx: Context) -> Field:
    return {"name": name, "label": label, "label_singular": singular, "folder": f"content/{folder}",
            "create": True, "extension": "md", "format": "rc-frontmatter",
            # Page bundles (<slug>/index.md) with their media beside them; single files are listed too.
            "path": "{{slug}}/index", "slug": "{{fields.slug}}", "media_folder": "", "public_folder": "",
            "summary": "{{title}}（{{date}}）", "sortable_fields": ["date", "title"],
            "fields": entry_fields(kind, ctx)}


def _data_files() -> Field:
    text = {"widget": "string"}
    # Decap reads a files collection's format from the collection only: rc-settings (rc-cms.js)
    # tells the vocabulary (a list) from the authors (a mapping).
    return {"name": "settings", "label": "专题与作者", "editor": {"preview": False}, "format": "rc-settings", "files": [
        {"name": "narratives", "label": "专题词表", "file": "content/narratives.yml",
         "fields": [{"name": "narratives", "label": "专题", "label_singular": "专题", "widget": "list",
                     "summary": "{{fields.label}}（{{fields.key}}）", "fields": [
             {"name": "key", "label": "key（网址用）", **text, "pattern": list(SLUG_PATTERN)},
             {"name": "label", "label": "中文名", **text},
             {"name": "description", "label": "说明", "widget": "text"},
             {"name": "aliases", "label": "别名", "widget": "list", "required": False,
              "hint": "编辑写在 tags 里也能识别的其他写法，用逗号分隔。"},
             {"name": "icon", "label": "图标", **text, "required": False, "hint": "例如 material/hand-heart"},
             {"name": "color", "label": "颜色", **text, "required": False,
              "pattern": [r"^#[0-9a-fA-F]{6}$", "颜色写成 #c62828 这样的六位十六进制。"]},
             {"name": "consent", "label": "图片需要肖像使用同意书", "widget": "boolean", "required": False}]}]},
        {"name": "authors", "label": "作者", "file": "content/authors.yml",
         "fields": [{"name": "authors", "label": "作者", "label_singular": "作者", "widget": "list",
                     "summary": "{{fields.name}}（{{fields.key}}）", "fields": [
             {"name": "key", "label": "key（故事的 authors 中写它）", **text, "pattern": list(SLUG_PATTERN)},
             {"name": "name", "label": "姓名", **text},
             {"name": "role", "label": "职务/单位", **text, "required": False}]}]}]}


def cms_config(vocabulary: Vocabulary, authors: Mapping[str, Author], *, site_url: str,
               backend: Mapping[str, Any], editorial_workflow: bool, local_port: int = LOCAL_PORT) -> dict[str, Any]:
    """The whole CMS configuration (config.yml) as a mapping."""
    ctx = Context(vocabulary, authors)
    config: dict[str, Any] = {
        "locale": "zh_Hans",
        "backend": dict(backend),
        # On 127.0.0.1 the editor talks to decap-server (scripts/edit), which writes the checkout's files.
        "local_backend": {"url": f"http://{urls.LOOPBACK}:{local_port}/api/v1"},
        "site_url": site_url, "display_url": site_url, "logo_url": urls.relative(f"{urls.ASSETS}images/logo.svg", urls.ADMIN),
        "media_folder": "content/images", "public_folder": "../images",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [
            _entries("stories", "故事", "故事", "stories", "story", ctx),
            _entries("lectures", "大讲堂", "讲座", "lectures", "lecture", ctx),
            _data_files(),
        ],
    }
    if editorial_workflow:
        config["publish_mode"] = "editorial_workflow"
    return config


def preview_settings() -> dict[str, Any]:
    """What rc-cms.js takes from the build, written into /admin/index.html: the reading-time
    constants (content/text.py), where front matter ends (content/frontmatter.py), and each
    collection's entry address on `scripts/serve`'s preview (urls.py)."""
    return {"han_per_minute": HAN_PER_MINUTE, "words_per_minute": WORDS_PER_MINUTE,
            "seconds_per_image": SECONDS_PER_IMAGE, "frontmatter": split_rule(), "preview": urls.PREVIEW,
            "entry_urls": {folder: urls.entry(kind, "{}") for folder, kind in KIND_FOLDERS.items()}}


def dump(config: Mapping[str, Any]) -> str:
    """config.yml text: stable key order, Chinese kept readable (libyaml's emitter when PyYAML has
    it: the same text as the pure-Python one, in a fifth of the time)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(dict(config), Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


def field_names(config: Mapping[str, Any], collection: str) -> Sequence[str]:
    """The field names of one folder collection (for tests and the guide)."""
    for coll in config["collections"]:
        if coll["name"] == collection:
            return [f["name"] for f in coll["fields"]]
    raise KeyError(collection)
