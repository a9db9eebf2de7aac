"""The web editor's configuration is generated from the schema, the vocabulary and the authors."""

from __future__ import annotations

import pytest
import yaml

from site_plugins.cms import config as cms
from site_plugins.content.catalog import load_authors
from site_plugins.content.schema import SCHEMA, FieldSpec, fields_for
from site_plugins.content.vocabulary import load_vocabulary
from tests.conftest import REPO

pytestmark = pytest.mark.unit


def _config(**kw: object) -> dict[str, object]:
    vocabulary, problems = load_vocabulary(REPO / "content" / "narratives.yml", "narratives.yml")
    authors, _ = load_authors(REPO / "content" / "authors.yml", "authors.yml")
    assert vocabulary is not None and not problems
    args = {"site_url": "https://lecture.example.org/", "backend": {"name": "github", "repo": "o/r"},
            "editorial_workflow": True, **kw}
    return cms.cms_config(vocabulary, authors, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize(("collection", "kind"), [("stories", "story"), ("lectures", "lecture")])
def test_every_schema_field_is_in_the_editor_in_schema_order(collection: str, kind: str) -> None:
    names = cms.field_names(_config(), collection)
    assert list(names) == [*fields_for(kind), "body"]  # type: ignore[arg-type]


def test_a_schema_field_without_a_widget_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = FieldSpec("sponsor", ("story",), False, "text", "文本", "赞助单位。", "某公司")
    monkeypatch.setattr(cms, "SCHEMA", (*SCHEMA, extra))
    with pytest.raises(cms.MissingWidget, match="sponsor"):
        _config()


def test_lists_come_from_the_vocabulary_and_the_authors_file() -> None:
    stories = next(c for c in _config()["collections"] if c["name"] == "stories")  # type: ignore[index, union-attr]
    by_name = {f["name"]: f for f in stories["fields"]}
    assert by_name["tags"]["widget"] == "select" and by_name["tags"]["min"] == 1
    assert [o["value"] for o in by_name["tags"]["options"]][:3] == ["志愿服务", "捐赠", "养老服务"]
    assert {"label": "王丽（山西省红十字会宣传联络部）", "value": "wangli"} in by_name["authors"]["options"]
    assert by_name["id"] == {"name": "id", "label": "永久编号", "widget": "hidden", "required": False}
    assert by_name["cover_alt"]["required_with"] == "cover"
    assert by_name["title"]["required"] and not by_name["summary"]["required"]
    hints = {s.name: s.doc_zh for s in SCHEMA if "story" in s.kinds}
    assert all(f["hint"] == hints[f["name"]] for f in stories["fields"] if f["name"] in hints and "hint" in f)


def test_dates_refuse_impossible_values_with_a_chinese_message() -> None:
    import re

    pattern, message = cms.DATE_PATTERN
    assert re.match(pattern, "2026-03-05 14:30") and re.match(pattern, "2026-03-05")
    for bad in ("2026-13-01", "2026-02-32", "2026-03-05 25:00", "2026/03/05"):
        assert not re.match(pattern, bad)
    assert "北京时间" in message


def test_config_yaml_is_chinese_and_deterministic() -> None:
    text = cms.dump(_config())
    assert text == cms.dump(_config())
    data = yaml.safe_load(text)
    assert data["locale"] == "zh_Hans" and data["publish_mode"] == "editorial_workflow"
    assert data["local_backend"]["url"].startswith("http://127.0.0.1:")
    assert "\\u" not in text
    assert "publish_mode" not in _config(editorial_workflow=False)


def test_the_guide_names_every_field_as_the_editor_does() -> None:
    guide = (REPO / "docs" / "EDITORS_GUIDE.zh.md").read_text(encoding="utf-8")
    table = guide.split("### 编辑器里的名称和字段")[1]
    for name, label in cms.LABELS.items():
        assert f"| {label} | `{name}` |" in table, name
    assert set(cms.LABELS) == {s.name for s in SCHEMA}
