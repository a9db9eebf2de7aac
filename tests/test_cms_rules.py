"""The web editor's copies of the build's content rules (cms/static/rc-content.js) agree with
their Python owners on a table of tricky inputs, run through node; rc-cms.js uses them and
keeps no rule of its own."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from site_plugins.cms.config import preview_settings
from site_plugins.content.frontmatter import decode, split, split_rule
from site_plugins.content.text import source_stem

pytestmark = pytest.mark.unit

STATIC = Path(__file__).resolve().parent.parent / "site_plugins" / "cms" / "static"

# Files as an editor's tools leave them: BOMs, Windows and old Mac line ends, fences with spaces
# (ASCII, full-width, and ones only Python or only JavaScript counts as space), YAML's `...`.
FILES = [
    "---\ntitle: 甲\n---\n正文\n",
    "\ufeff---\r\ntitle: 甲\r\n---\r\n正文\r\n",
    "---\rtitle: 甲\r---\r正文",
    "---\n---\n正文\n",
    "---\n---\n",
    "---\ntitle: 甲\n...\n正文\n",
    "---   \ntitle: 甲\n  ---\t\n正文\n",
    "\u3000---\u3000\ntitle: 甲\n---\u00a0\n正文\n",
    "---\x1c\ntitle: 甲\n\x1f---\x85\n正文\n",
    "\ufeff\ufeff---\ntitle: 甲\n---\n正文\n",
    "---\ntitle: 甲\n---\ufeff\n正文\n---\n",
    "---\ntitle: 甲\n\u200b---\n正文\n---\n",
    "---\ntitle: 甲\n",
    "---",
    "--- x\ntitle: 甲\n---\n",
    "----\ntitle: 甲\n----\n",
    "title: 甲\n---\n正文\n",
    "",
    "\n---\ntitle: 甲\n---\n",
    "---\ntitle: 甲\n---",
    "---\ntitle: 甲\n--- \n正文\n---\n更多\n",
    "---\ntitle: 甲\u2028乙\n---\n正文\u2029\n",
]
PATHS = ["stories/a.md", "stories/a/index.md", "stories/index.md", "index.md", "stories/a/Index.md",
         "stories/a.md.md", "content/lectures/b-2/index.md", "", "a/index", "stories/x.MD", "stories/index/index.md",
         "stories/.md", "stories/a.markdown"]

def node(script: str, data: object) -> object:
    """Run `script` (an ES module reading JSON from stdin) through node; its JSON output."""
    assert shutil.which("node"), "node is not installed (scripts/install installs it with npm)"
    result = subprocess.run(["node", "--input-type=module", "-e", script], input=json.dumps(data),
                            capture_output=True, text=True, check=True, timeout=60)
    return json.loads(result.stdout)


def in_node(call: str, inputs: list[object]) -> list[object]:
    """`call` (JavaScript using rc-content.js's exports and `x`, one input) for each input."""
    module = json.dumps((STATIC / "rc-content.js").as_uri())
    script = (f"import {{ normalise, splitFrontMatter, sourceStem }} from {module};\n"
              "let text = ''; for await (const chunk of process.stdin) text += chunk;\n"
              "const [rule, inputs] = JSON.parse(text);\n"
              f"process.stdout.write(JSON.stringify(inputs.map((x) => {call})));\n")
    out = node(script, [split_rule(), inputs])
    assert isinstance(out, list)
    return out


def python_split(raw: str) -> list[object] | None:
    text, problem = decode(raw.encode("utf-8"), "x.md")
    assert problem is None and text is not None
    parts = split(text)
    return None if parts is None else list(parts)


def test_the_editor_splits_front_matter_exactly_as_the_build() -> None:
    got = in_node("splitFrontMatter(normalise(x), rule)", list(FILES))
    for raw, js in zip(FILES, got, strict=True):
        assert js == python_split(raw), repr(raw)


def test_the_editor_finds_the_default_slug_as_the_build() -> None:
    got = in_node("sourceStem(x)", list(PATHS))
    assert got == [source_stem(p) for p in PATHS]


def test_the_table_reaches_the_cases_where_python_and_javascript_strip_differently() -> None:
    """JavaScript's trim() takes off U+FEFF and leaves U+001C and U+0085: the rule's own list decides."""
    space = split_rule()["space"]
    assert "\ufeff" not in space and {"\x1c", "\x85", "\u3000"} <= set(space)
    assert python_split("---\ntitle: 甲\n---\ufeff\n正文\n---\n") == ["title: 甲\n---\ufeff\n正文", "", 6]
    assert python_split("---\x1c\ntitle: 甲\n\x1f---\x85\n正文\n") == ["title: 甲", "正文\n", 4]


def test_the_editor_keeps_no_rule_of_its_own() -> None:
    source = (STATIC / "rc-cms.js").read_text(encoding="utf-8")
    assert 'from "./rc-content.js"' in source
    assert "splitFrontMatter(text, SETTINGS.frontmatter)" in source and "sourceStem(" in source
    code = "\n".join(line for line in source.splitlines() if not line.startswith("//"))
    assert "---" not in code  # the fence comes from the build, for reading and writing
    assert "127.0.0.1" not in source and "stories/" not in source  # addresses come from urls.py


def test_the_editor_is_handed_the_rules_and_addresses_of_the_build() -> None:
    settings = preview_settings()
    assert settings["frontmatter"] == split_rule()
    assert settings["entry_urls"] == {"stories": "stories/{}/", "lectures": "lectures/{}/"}
    assert settings["preview"] == "http://127.0.0.1:8000/"
    json.dumps(settings)  # written into /admin/index.html as JSON
