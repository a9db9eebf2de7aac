"""The field tables of the editors' guide, generated from `model.SCHEMA`.

The guide (docs/EDITORS_GUIDE.zh.md) keeps the tables between two markers;
`scripts/check --guide` rewrites them and a test fails when they drift.
"""

from __future__ import annotations

from pathlib import Path

from site_plugins.content.schema import SCHEMA, Kind

GUIDE_FILE = "docs/EDITORS_GUIDE.zh.md"
BEGIN = "<!-- 字段表开始：由 scripts/check --guide 根据 site_plugins/content/schema.py 生成，请勿手改 -->"
END = "<!-- 字段表结束 -->"
KIND_NAMES: dict[Kind, str] = {"story": "故事", "lecture": "讲座"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def field_table(kind: Kind) -> str:
    """A Markdown table of every front-matter field of `kind`, required ones first."""
    specs = [s for s in SCHEMA if kind in s.kinds]
    specs.sort(key=lambda s: not s.required)  # stable: schema order within each group
    rows = ["| 字段 | 必填 | 类型 | 说明 | 示例 |", "|---|---|---|---|---|"]
    for spec in specs:
        rows.append(f"| `{spec.name}` | {'**必填**' if spec.required else '可选'} | {_cell(spec.type_zh)} "
                    f"| {_cell(spec.doc_zh)} | `{_cell(spec.example)}` |")
    return "\n".join(rows)


def tables() -> str:
    """Both tables with their headings, as they sit between the markers."""
    parts = []
    for kind, name in KIND_NAMES.items():
        parts += [f"### {name}的字段", "", field_table(kind), ""]
    return "\n".join(parts).rstrip("\n")


def render(text: str) -> str:
    """`text` with the part between the markers replaced by freshly generated tables."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the guide lacks the markers {BEGIN!r} ... {END!r}")
    return text[: start + len(BEGIN)] + "\n\n" + tables() + "\n\n" + text[end:]


def update(file: Path) -> bool:
    """Regenerate the tables in the guide file; True if it changed."""
    text = file.read_text(encoding="utf-8")
    fresh = render(text)
    if fresh != text:
        file.write_text(fresh, encoding="utf-8", newline="\n")
    return fresh != text
