"""The settings object (site_plugins/settings.py): one loader for mkdocs.yml, its types, defaults and messages."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from site_plugins import settings
from site_plugins.media.audio import AudioSettings
from site_plugins.media.images import ImageSettings
from site_plugins.settings import Settings, SettingsError, parse

from .conftest import REPO

pytestmark = pytest.mark.unit

CONFIG = (REPO / "mkdocs.yml").read_text(encoding="utf-8")


def with_options(plugin: str, options: str, text: str = CONFIG) -> str:
    """mkdocs.yml with `options` (one `key: value` a line) under `plugin`, which has none today."""
    assert f"  - {plugin}\n" in text, plugin
    block = "".join(f"      {line}\n" for line in options.strip().splitlines())
    return text.replace(f"  - {plugin}\n", f"  - {plugin}:\n{block}", 1)


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_repository_config_loads_with_its_values() -> None:
    loaded = settings.load(REPO / "mkdocs.yml")
    assert loaded.root == REPO and loaded.content_dir == REPO / "content" and loaded.site_dir == REPO / "site"
    assert loaded.site.name == "红十字大讲堂" and loaded.site.url == "https://lecture.example.org/"
    assert loaded.feeds.podcast_email == "lecture@lecture.example.org" and loaded.listings.page_size == 12
    assert dict(loaded.admin.backend)["repo"] == "shanxi-redcross/lecture-hall"
    assert loaded.plugins == ("rc-meta", "rc-images", "rc-audio", "rc-notice", "rc-feeds", "rc-listings",
                              "rc-search", "rc-wechat", "rc-admin", "rc-hosting")
    assert loaded.site_info().logo == "https://lecture.example.org/assets/images/logo.png"
    assert loaded.site_info("http://127.0.0.1:8000").url == "http://127.0.0.1:8000/"  # mkdocs serve's address


def test_defaults_are_the_pipelines_own() -> None:
    """One source of defaults: an unset option gives what the media pipelines use on their own."""
    defaults = Settings()
    assert defaults.images.render == ImageSettings()
    assert defaults.audio.render == AudioSettings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        defaults.images.max_megapixels = 1  # type: ignore[misc]


def test_plugin_options_are_read_typed() -> None:
    text = with_options("rc-images", "max_megapixels: 10\nwidths: [320, 640]\nthumbnail: [300, 200]")
    text = with_options("rc-audio", "max_hours: 0.5\ntimeout: 90", text)
    loaded, problems = parse(text)
    assert problems == []
    assert loaded.images.render.max_pixels == 10_000_000 and loaded.images.render.widths == (320, 640)
    assert loaded.images.render.thumb_size == (300, 200)
    assert loaded.audio.render == AudioSettings(max_hours=0.5, timeout=90)


@pytest.mark.parametrize(("options", "field", "says"), [
    ("max_megapixels: ten", "rc-images.max_megapixels", "max_megapixels 应为数字，现在是“ten”。请改正，或删去这一行（默认 60）"),
    ("max_megapixel: 10", "rc-images.max_megapixel", "rc-images 没有 max_megapixel 这个设置。是不是 max_megapixels？"),
    ("thumbnail: [480]", "rc-images.thumbnail", "应有 2 项"),
    ("webp_quality: 0", "rc-images.webp_quality", "不能小于 1"),
    ("workers: true", "rc-images.workers", "应为整数"),
    ("font: fonts/none.otf", "rc-images.font", "找不到字体文件“fonts/none.otf”"),
])
def test_a_bad_value_is_named_with_its_line_in_chinese(options: str, field: str, says: str) -> None:
    text = with_options("rc-images", options)
    _loaded, problems = parse(text)
    assert [(p.path, p.line, p.field) for p in problems] == [("mkdocs.yml", line_of(text, "      " + options),
                                                              field)]
    assert says in problems[0].message


def test_rules_the_adapters_had_are_the_loaders() -> None:
    text = CONFIG.replace("podcast_email:", "limit: 0\n      podcast_email:").replace("name: github", "name: svn")
    _loaded, problems = parse(text)
    assert {p.field for p in problems} == {"rc-feeds.limit", "rc-admin.backend"}
    assert all(p.line > 1 for p in problems)


def test_mkdocs_tags_do_not_break_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The toc's `!!python/name:` stays opaque; `!ENV` is resolved as MkDocs resolves it."""
    text = with_options("rc-images", "max_megapixels: !ENV [RC_TEST_MP, 60]\ncache_dir: !ENV RC_TEST_CACHE")
    loaded, problems = parse(text)
    assert problems == [] and loaded.images.max_megapixels == 60 and loaded.images.cache_dir == ".cache/images"
    monkeypatch.setenv("RC_TEST_MP", "12.5")
    monkeypatch.setenv("RC_TEST_CACHE", "/tmp/cache")
    loaded, problems = parse(text)
    assert problems == [] and loaded.images.max_megapixels == 12.5 and loaded.images.cache_dir == "/tmp/cache"
    _loaded, problems = parse(CONFIG.replace("page_size: 12", "page_size: !!python/name:os.getcwd"))
    assert [p.field for p in problems] == ["rc-listings.page_size"] and "应为整数" in problems[0].message


def test_yaml_errors_and_duplicates_give_lines() -> None:
    _loaded, problems = parse("site_name: 站\nsite_url: [https://x.org/\n")
    assert [(p.line, p.field) for p in problems] == [(2, "YAML")] and "方括号" in problems[0].message
    _loaded, problems = parse("site_name: 站\nsite_name: 又一个站\n")
    assert [(p.line, p.field) for p in problems] == [(2, "site_name")] and "写了两次" in problems[0].message


def test_footer_and_publish_come_from_extra() -> None:
    text = CONFIG.replace("  # beian:\n  #   icp:", "  beian:\n    icp:").replace(
        "  # publish:\n  #   endpoint: https://s3.oss-cn-beijing.aliyuncs.com\n",
        "  publish:\n    endpoint: https://s3.oss-cn-beijing.aliyuncs.com\n")
    loaded, problems = parse(text)
    assert problems == [] and loaded.footer.icp == "晋ICP备2026000001号-1"
    assert loaded.publish == (("endpoint", "https://s3.oss-cn-beijing.aliyuncs.com"),)
    _loaded, problems = parse(text.replace("晋ICP备2026000001号-1", "ICP 123"))
    assert [p.field for p in problems] == ["extra.beian.icp"]


def test_inherit_is_refused_not_ignored() -> None:
    _loaded, problems = parse("INHERIT: base.yml\nsite_name: 站\n")
    assert [(p.line, p.field) for p in problems] == [(1, "INHERIT")]


def test_load_raises_every_problem_shown_from_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mkdocs.yml").write_text(with_options("rc-search", "timeout: -1", with_options("rc-hosting", "precompress: 1")),
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path.parent)
    with pytest.raises(SettingsError) as caught:
        settings.load(tmp_path / "mkdocs.yml")
    assert len(caught.value.problems) == 2
    assert f"{tmp_path.name}/mkdocs.yml:" in str(caught.value) and "设置文件有 2 个问题" in str(caught.value)
    with pytest.raises(SettingsError, match="找不到或读不出设置文件"):
        settings.load(tmp_path / "nothing.yml")


def test_beside_finds_the_config_of_a_content_folder(tmp_path: Path) -> None:
    assert settings.beside(REPO / "content") == settings.load(REPO / "mkdocs.yml")
    alone = settings.beside(tmp_path / "content")  # no mkdocs.yml: the defaults, for that folder
    assert alone.content_dir == tmp_path / "content" and alone.images == Settings().images


def test_the_reference_names_every_option() -> None:
    """docs/SETTINGS.md, the developers' reference, lists every key the loader accepts."""
    text = (REPO / "docs" / "SETTINGS.md").read_text(encoding="utf-8")
    sections = [("(top level)", settings.SiteOptions), *settings.SECTIONS.values()]
    missing = [f"{plugin}: {spec.metadata.get('key') or spec.name}" for plugin, cls in sections
               for spec in dataclasses.fields(cls)
               if not any(f"| {plugin} |" in row and f"`{spec.metadata.get('key') or spec.name}`" in row
                          for row in text.splitlines())]
    assert missing == []
