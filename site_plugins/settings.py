"""The site's settings: one frozen, typed tree, read from mkdocs.yml by `load` and nothing else.

`scripts/check`, `scripts/build`, every other script and every adapter take their options from
here, so the check and the build judge content by the same limits, and the defaults live in one
place (the fields below; the media pipelines' own defaults where they have them). A bad value
is reported in Chinese as `mkdocs.yml:line: rc-images.max_megapixels: message`, every problem at
once. The YAML is read by `settings_yaml` (MkDocs' `!ENV` resolved as MkDocs does, its
`!!python/name:` values kept opaque). Option reference: docs/SETTINGS.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_plugins.cms.config import LOCAL_PORT
from site_plugins.content.frontmatter import decode
from site_plugins.content.problems import Problem, from_cwd
from site_plugins.media.audio import AudioSettings
from site_plugins.media.images import ImageSettings
from site_plugins.outputs.pages.footer import Footer, footer_from_extra
from site_plugins.outputs.pages.seo import SiteInfo
from site_plugins.outputs.search.records import SHARD
from site_plugins.settings_yaml import nav_titles, plugin_options, read_section, read_yaml

Pairs = tuple[tuple[str, Any], ...]  # a mapping of scalars, frozen (admin's backend, extra.publish)
BACKENDS = ("github", "gitea", "forgejo", "gitlab")


def option(default: Any, *, key: str = "", minimum: float | None = None, maximum: float | None = None,
           length: int | None = None) -> Any:
    """A setting: its default, its mkdocs.yml key when it differs from the field's name, its bounds."""
    return field(default=default, metadata={"key": key, "min": minimum, "max": maximum, "length": length})


@dataclass(frozen=True)
class SiteOptions:
    """Top level of mkdocs.yml (MkDocs' own keys that our core reads)."""

    name: str = option("", key="site_name")
    url: str = option("", key="site_url")
    description: str = option("", key="site_description")
    copyright: str = ""
    docs_dir: str = "docs"  # MkDocs' defaults
    site_dir: str = "site"


@dataclass(frozen=True)
class MetaOptions:
    """rc-meta: who publishes the site (JSON-LD, feeds)."""

    publisher: str = "山西省红十字会"
    publisher_url: str | None = None  # default: site_url
    logo: str = "assets/images/logo.png"  # site path


@dataclass(frozen=True)
class ImagesOptions:
    """rc-images: variants, thumbnails, the size guard, the card fonts."""

    cache_dir: str = ".cache/images"  # relative to mkdocs.yml
    widths: tuple[int, ...] = option(ImageSettings.widths, minimum=1)
    webp_quality: int = option(ImageSettings.webp_quality, minimum=1, maximum=100)
    jpeg_quality: int = option(ImageSettings.jpeg_quality, minimum=1, maximum=100)
    thumbnail: tuple[int, ...] = option(ImageSettings.thumb_size, minimum=1, length=2)
    max_megapixels: float = option(ImageSettings.max_pixels / 1e6, minimum=0.01)
    workers: int = option(0, minimum=0)  # 0: all cores
    # Measured in Chromium: the article column is at most ~760 px wide from 48em up, the viewport below.
    sizes: str = "(min-width: 48em) 760px, 100vw"
    font: str = ""  # "": the shipped Noto Sans SC subset; files are relative to mkdocs.yml, never system fonts
    fallback_fonts: tuple[str, ...] = ()

    @property
    def render(self) -> ImageSettings:
        """What decides the variants' bytes (and the cache key)."""
        return ImageSettings(widths=self.widths, webp_quality=self.webp_quality, jpeg_quality=self.jpeg_quality,
                             thumb_size=(self.thumbnail[0], self.thumbnail[1]),
                             max_pixels=round(self.max_megapixels * 1_000_000))

    def problems(self, root: Path) -> list[tuple[str, str]]:
        """Font files that are not there: the cards would differ between machines (never a system font)."""
        named = [("font", self.font)] if self.font else []
        return [(key, f"找不到字体文件“{path}”（路径相对于 mkdocs.yml 所在的文件夹）。请改正路径，"
                      "或删去这一行（卡片用自带的思源黑体子集）。")
                for key, path in [*named, *(("fallback_fonts", f) for f in self.fallback_fonts)]
                if not (root / path).is_file()]


@dataclass(frozen=True)
class AudioOptions:
    """rc-audio: the published MP3 and the limits a recording must meet."""

    cache_dir: str = ".cache/audio"
    bitrate: int = option(AudioSettings.bitrate_kbps, minimum=8, maximum=320)  # kbit/s, constant, mono
    max_hours: float = option(AudioSettings.max_hours, minimum=0.0001)
    timeout: int = option(AudioSettings.timeout, minimum=1)  # seconds each ffprobe or ffmpeg run may take
    workers: int = option(0, minimum=0)
    album: str = ""  # "": the site name

    @property
    def render(self) -> AudioSettings:
        return AudioSettings(bitrate_kbps=self.bitrate, max_hours=self.max_hours, timeout=self.timeout)


@dataclass(frozen=True)
class FeedsOptions:
    """rc-feeds: feeds, the podcast, the calendar."""

    limit: int = option(20, minimum=1)  # entries per feed
    podcast_category: str = "Education"  # an Apple Podcasts category
    podcast_image: str | None = None  # site path of square PNG/JPEG art; default: the site logo
    podcast_email: str = ""  # itunes:owner e-mail (Apple confirms ownership there)
    podcast_owner: str = ""  # itunes:owner name; default: rc-meta's publisher
    podcast_locked: bool = True  # podcast:locked: other hosts may not import the feed
    reminder: int = option(1440, minimum=0)  # minutes before a lecture its calendar entry reminds; 0: none


@dataclass(frozen=True)
class ListingsOptions:
    """rc-listings: cards per page, related stories, the home page's sections."""

    page_size: int = option(12, minimum=1)
    related: int = option(4, minimum=0)
    home: int = option(3, minimum=0)


@dataclass(frozen=True)
class SearchOptions:
    """rc-search: the Pagefind index."""

    stream: bool = True  # index while rendering; false: all pages after the build
    pinyin: bool = True  # titles' pinyin and initials, in each page's record
    timeout: int = option(600, minimum=1)  # seconds the build waits for Pagefind at each step
    shard: int = option(SHARD, minimum=1)  # pages Pagefind holds at once (its memory); shards are merged


@dataclass(frozen=True)
class AdminOptions:
    """rc-admin: the web editor's backend."""

    backend: Pairs = (("name", "github"), ("repo", "owner/repo"), ("branch", "main"))
    editorial_workflow: bool = True  # a story becomes a pull request (GitHub, Forgejo)
    local_port: int = option(LOCAL_PORT, minimum=1, maximum=65535)  # decap-server on 127.0.0.1 (scripts/edit)

    def problems(self, root: Path) -> list[tuple[str, str]]:
        backend = dict(self.backend)
        if str(backend.get("name", "")) not in BACKENDS or not backend.get("repo"):
            return [("backend", f"backend 要写 name（{'、'.join(BACKENDS)} 之一）和 repo（所有者/仓库名）。"
                                "见 docs/EDITORS_GUIDE.zh.md 的“网页编辑器”。")]
        return []


@dataclass(frozen=True)
class HostingOptions:
    """rc-hosting: precompressed copies for nginx's gzip_static."""

    precompress: bool = True  # write <file>.gz beside text files
    cache_dir: str = ".cache/gzip"  # relative to mkdocs.yml; "": compress every file anew


@dataclass(frozen=True)
class NoticeOptions:
    """rc-notice: the printable lecture notices (one A4 PDF each)."""

    cache_dir: str = ".cache/notices"  # relative to mkdocs.yml
    workers: int = option(0, minimum=0)  # 0: all cores


# Each section's plugin in mkdocs.yml (its options), and its class; `site` is the top level.
SECTIONS: dict[str, tuple[str, type]] = {
    "meta": ("rc-meta", MetaOptions), "images": ("rc-images", ImagesOptions), "audio": ("rc-audio", AudioOptions),
    "feeds": ("rc-feeds", FeedsOptions), "listings": ("rc-listings", ListingsOptions), "search": ("rc-search", SearchOptions),
    "admin": ("rc-admin", AdminOptions), "hosting": ("rc-hosting", HostingOptions),
    "notice": ("rc-notice", NoticeOptions)}


@dataclass(frozen=True)
class Settings:
    """Everything mkdocs.yml sets for our core; `root` is its folder (relative paths start there)."""

    root: Path = Path(".")
    file: str = "mkdocs.yml"
    site: SiteOptions = SiteOptions()
    meta: MetaOptions = MetaOptions()
    images: ImagesOptions = ImagesOptions()
    audio: AudioOptions = AudioOptions()
    feeds: FeedsOptions = FeedsOptions()
    listings: ListingsOptions = ListingsOptions()
    search: SearchOptions = SearchOptions()
    admin: AdminOptions = AdminOptions()
    hosting: HostingOptions = HostingOptions()
    notice: NoticeOptions = NoticeOptions()
    footer: Footer = field(default_factory=Footer)  # extra: beian, contact, donate (outputs/pages/footer.py checks them)
    publish: Pairs = ()  # extra.publish (deploy/objectstore.py; RC_PUBLISH_* override it)
    plugins: tuple[str, ...] = ()  # the rc-* plugins mkdocs.yml lists and enables
    nav: tuple[tuple[str, str], ...] = ()  # (source, title) of the pages `nav:` names

    @property
    def content_dir(self) -> Path:
        return self.root / self.site.docs_dir

    @property
    def site_dir(self) -> Path:
        return self.root / self.site.site_dir

    def path(self, relative: str) -> Path:
        """A path of mkdocs.yml (cache folders, fonts), relative to its folder."""
        return self.root / relative

    @property
    def card_fonts(self) -> tuple[str, ...]:
        """The social cards' font files, primary first (checked by `load`)."""
        from site_plugins.media.social import DEFAULT_FONT, font_chain  # fontTools: only when cards are drawn

        images = self.images
        return font_chain(self.path(images.font) if images.font else DEFAULT_FONT,
                          [self.path(f) for f in images.fallback_fonts])

    def site_info(self, url: str = "") -> SiteInfo:
        """Who publishes the site; `url` overrides site_url (`mkdocs serve` serves elsewhere)."""
        url = url or self.site.url
        url = url if url.endswith("/") else url + "/"
        return SiteInfo(name=self.site.name, url=url, description=self.site.description,
                        publisher=self.meta.publisher, publisher_url=self.meta.publisher_url or url,
                        logo=url + self.meta.logo)


class SettingsError(Exception):
    """mkdocs.yml holds values the site cannot use: every one, with its line."""

    def __init__(self, problems: list[Problem], root: Path) -> None:
        self.problems = sorted(problems)
        self.root = root
        super().__init__(self.shown())

    def shown(self, cwd: Path | None = None) -> str:
        """The problems, paths relative to `cwd` (default: the current folder)."""
        show = from_cwd(self.root, cwd)
        return (f"设置文件有 {len(self.problems)} 个问题，请改正后再运行：\n"
                + "\n".join(p.shown(show) for p in self.problems))


@dataclass(frozen=True)
class _Extra:
    publish: Pairs = ()


def load(config_file: Path) -> Settings:
    """The settings of `config_file`; SettingsError naming every bad value and its line."""
    path = Path(config_file).resolve()
    try:
        raw = path.read_bytes()
    except OSError:
        raise SettingsError([Problem(path.name, 1, "file", f"找不到或读不出设置文件 {path}。"
                                     "请在 mkdocs.yml 所在的文件夹运行，或用 -f 指明它。")], path.parent) from None
    text, problem = decode(raw, path.name)
    if problem is not None or text is None:
        raise SettingsError([problem] if problem else [], path.parent)
    settings, problems = parse(text, path.name, path.parent)
    if problems:
        raise SettingsError(problems, path.parent)
    return settings


def parse(text: str, name: str = "mkdocs.yml", root: Path = Path(".")) -> tuple[Settings, list[Problem]]:
    """The settings in `text` (the file `name` in folder `root`) and everything wrong with them."""
    data, lines, problems = read_yaml(text, name)
    if not isinstance(data, dict):
        if data is not None or not problems:
            problems.append(Problem(name, 1, "YAML", f"{name} 应写成若干“名称: 值”。"))
        return Settings(root=root, file=name), problems
    if "INHERIT" in data:  # MkDocs merges another file in: the check would read other values than the build
        problems.append(Problem(name, lines.get("INHERIT", 1), "INHERIT", "本站的设置不支持 INHERIT（从另一个文件继承设置）。"
                                "请把要用的设置直接写进这个文件。"))
    site, found = read_section(SiteOptions, data, "", "", lines, name, known_only=False)
    problems += found
    options, enabled, found = plugin_options(data.get("plugins"), lines, name)
    problems += found
    sections: dict[str, Any] = {}
    for section, (plugin, cls) in SECTIONS.items():
        value, found = read_section(cls, options.get(plugin, {}), plugin, f"plugins.{plugin}", lines, name)
        rules = value.problems(root) if hasattr(value, "problems") else []
        problems += found + [Problem(name, lines.get(f"plugins.{plugin}.{key}", lines.get(f"plugins.{plugin}", 1)),
                                     f"{plugin}.{key}", message) for key, message in rules]
        sections[section] = value
    extra = data.get("extra") or {}
    if not isinstance(extra, dict):
        problems.append(Problem(name, lines.get("extra", 1), "extra", "extra 应写成若干“名称: 值”。"))
        extra = {}
    footer, found = footer_from_extra(extra, text, name)
    more, found_extra = read_section(_Extra, extra, "extra", "extra", lines, name, known_only=False)
    problems += found + found_extra
    return Settings(root=root, file=name, site=site, footer=footer, publish=more.publish, plugins=enabled,
                    nav=nav_titles(data.get("nav")), **sections), problems


def beside(content_dir: Path) -> Settings:
    """The settings of the mkdocs.yml next to `content_dir` (the defaults if there is none)."""
    config = Path(content_dir).resolve().parent / "mkdocs.yml"
    if config.is_file():
        return load(config)
    return Settings(root=config.parent, site=SiteOptions(docs_dir=Path(content_dir).name))
