"""`scripts/wechat`: write the 公众号 edition of stories and lectures into a folder.

For each entry: `<out>/<slug>/article.html` (the HTML to paste) and its images beside it,
`01.jpg`, `02.png`, … in the order the article shows them. The files are first checked by
`check.run`, exactly as `scripts/check` checks them, so a file the check refuses is refused
here in the same words; then the article is checked against the 公众号's limits
(outputs/wechat/limits.py). Markdown is rendered with mkdocs.yml's extensions, read
without MkDocs. Re-encoded images are cached by content in `.cache/wechat/`.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from site_plugins import urls
from site_plugins.check import checker
from site_plugins.content.catalog import Catalog
from site_plugins.content.paths import resolve
from site_plugins.content.problems import Problem
from site_plugins.content.schema import Lecture, Story, withheld_reason
from site_plugins.media.cache import Cache
from site_plugins.media.decode import ImageError
from site_plugins.outputs.wechat import edition, images, links
from site_plugins.outputs.wechat.edition import Article

ARTICLE_FILE = "article.html"
CACHE_DIR = ".cache/wechat"  # beside mkdocs.yml, like the build's media caches


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it: `!!python/name:` imports (the toc's slugify); other tags are None."""


def _python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    module, _, name = suffix.rpartition(".")
    return getattr(importlib.import_module(module), name)


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class SiteConfig:
    """What the edition needs of mkdocs.yml."""

    root: Path  # folder of mkdocs.yml
    content: Path
    url: str  # site_url, ending in /
    extensions: tuple[str, ...]
    extension_configs: dict[str, dict[str, Any]]


def read_config(config_file: Path) -> SiteConfig:
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    root = config_file.resolve().parent
    names, configs = edition.extensions(data.get("markdown_extensions") or [])
    url = str(data.get("site_url") or "")
    return SiteConfig(root, root / str(data.get("docs_dir") or "docs"), url if url.endswith("/") else url + "/",
                      tuple(names), configs)


@dataclass
class ImageFiles:
    """The files of one article, named in the order it uses them; encoded once per content (cached)."""

    content: Path
    cache: Cache
    names: dict[str, str] = field(default_factory=dict)  # content path -> 01.jpg
    data: dict[str, bytes] = field(default_factory=dict)  # 01.jpg -> bytes
    errors: dict[str, str] = field(default_factory=dict)  # content path -> the image's problem

    def add(self, src: str) -> str:
        if src in self.names or src in self.errors:
            return self.names.get(src, "")
        try:
            encoded = self._encoded(self.content / src)
        except ImageError as error:
            self.errors[src] = error.message
            return ""
        name = f"{len(self.names) + 1:02d}.{encoded[1]}"
        self.names[src] = name
        self.data[name] = encoded[0]
        return name

    def _encoded(self, path: Path) -> tuple[bytes, str]:
        key = images.key(path)
        manifest = self.cache.load(key)
        if manifest is None:
            made = images.encode(path)
            manifest = {"name": f"image.{made.suffix}", "width": made.width, "height": made.height}
            self.cache.store(key, {manifest["name"]: made.data}, manifest)
        name = str(manifest["name"])
        return self.cache.path(key, name).read_bytes(), name.rsplit(".", 1)[1]


def make(entry: Story | Lecture, catalog: Catalog, config: SiteConfig, renderer: edition.MarkdownRenderer,
         now: datetime, files: ImageFiles) -> Article:
    """The article of `entry`, its images named in `files` (problems of unreadable images included)."""
    pages = {e.source: e.url for e in [*catalog.stories, *catalog.lectures]}
    cover = files.add(entry.cover.src) if entry.cover else None
    found = edition.article(
        entry, renderer.html(entry.body), url=config.url + entry.url, now=now,
        link=links.content_links(entry.source, pages, config.url),
        image=lambda src: files.add(resolve(entry.source, unquote(src))), cover_src=cover)
    lines = {image.src: (image.line, "cover" if image.is_cover else "image")
             for image in [*([entry.cover] if entry.cover else []), *entry.images]}
    for src, message in files.errors.items():
        line, name = lines.get(src, (1, "image"))
        found.problems.append(Problem(entry.source, line, name, message))
    return found


def document(found: Article) -> str:
    """article.html: the article in a page as wide as the 公众号 editor's (677 px), nothing else."""
    return ("<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(found.title)}</title>\n</head>\n"
            "<body style=\"max-width:677px;margin:0 auto;padding:16px\">\n"
            f"{found.html}\n</body>\n</html>\n")


def write(folder: Path, found: Article, files: ImageFiles) -> None:
    """Replace `folder` with the article and its images at once (a temporary folder renamed)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        (temp / ARTICLE_FILE).write_text(document(found), encoding="utf-8")
        for name, data in files.data.items():
            (temp / name).write_bytes(data)
        temp.chmod(0o755)
        if folder.exists():
            shutil.rmtree(folder)
        temp.rename(folder)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def unpublished(entry: Story | Lecture, now: datetime) -> list[Problem]:
    """A notice when the 阅读原文 address does not open yet."""
    reason = withheld_reason(entry, now)
    if not reason:
        return []
    when = "发布后" if reason == "草稿" else f"{checker.when(entry.date)} 起"
    return [Problem(entry.source, entry.lines.get("draft" if reason == "草稿" else "date", 1), "url",
                    f"本文是{reason}，网站上还没有这一页：“阅读原文”的网址要到{when}才能打开。", notice=True)]


def folder_names(entries: Sequence[Story | Lecture]) -> dict[str, str]:
    """Entry source -> its folder: the slug, or `lectures-<slug>` when a story has the same slug."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for entry in entries:
        name = entry.slug if entry.slug not in taken else f"{urls.FOLDERS[entry.kind]}-{entry.slug}"
        taken.add(name)
        names[entry.source] = name
    return names
