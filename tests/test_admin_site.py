"""/admin/ in the built site: the vendored bundle, the generated config, and kept out of everything readers see."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from site_plugins.cms import admin
from site_plugins.content.frontmatter import split_rule
from tests.conftest import REPO
from tests.test_search import fragments

pytestmark = pytest.mark.build


def test_admin_page_is_chinese_noindex_and_loads_only_its_own_files(sample_site: Path) -> None:
    soup = BeautifulSoup((sample_site / "admin" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "zh-CN"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert soup.body["data-pagefind-ignore"] == "all"
    sources = [s["src"] for s in soup.find_all("script", src=True)]
    assert sources == ["decap-cms.js?v=3.16.3", "rc-cms.js"]
    assert all((sample_site / "admin" / s.split("?")[0]).is_file() for s in sources)
    sheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert sheets == ["rc-admin.css"] and (sample_site / "admin" / "rc-admin.css").is_file()
    settings = json.loads(soup.find("script", id="rc-settings").string)
    assert settings["han_per_minute"] == 400
    assert settings["frontmatter"] == split_rule()  # rc-content.js splits as the build does
    # every module rc-cms.js imports is published beside it
    imported = re.findall(r'^import .* from "\./([^"]+)";', (sample_site / "admin" / "rc-cms.js").read_text(encoding="utf-8"), re.M)
    assert "rc-content.js" in imported and all((sample_site / "admin" / name).is_file() for name in imported)
    assert all((sample_site / "admin" / css).resolve().is_file() for css in settings["styles"])


def test_bundle_is_copied_byte_for_byte_from_node_modules(sample_site: Path) -> None:
    bundle = admin.find_bundle([REPO])
    for file in bundle.files():
        assert (sample_site / "admin" / file.name).read_bytes() == file.read_bytes(), file.name
    assert (sample_site / "admin" / "vendor" / "yaml" / "index.js").is_file()


def test_config_is_generated_for_this_site(sample_site: Path) -> None:
    config = yaml.safe_load((sample_site / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["locale"] == "zh_Hans" and config["backend"]["name"] == "github"
    assert config["publish_mode"] == "editorial_workflow"
    assert [c["name"] for c in config["collections"]] == ["stories", "lectures", "settings"]


def test_admin_is_out_of_sitemap_search_and_feeds(sample_site: Path) -> None:
    assert "/admin/" not in (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    records = fragments(sample_site)  # Pagefind's index, as the search page reads it
    assert records and not any(r["url"].startswith("/admin") for r in records)
    for feed in ("feed.xml", "atom.xml", "feed.json", "lectures/feed.xml"):
        assert "/admin/" not in (sample_site / feed).read_text(encoding="utf-8"), feed


def test_missing_bundle_is_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(admin.BundleMissing, match="npm ci"):
        admin.find_bundle([tmp_path])
