"""Body HTML that would run or load another site is refused; ordinary HTML is not (content/rawhtml.py)."""

from __future__ import annotations

import pytest

from site_plugins.content.markdown import scan
from site_plugins.content.rawhtml import active_content

pytestmark = pytest.mark.unit


def found(body: str) -> list[tuple[int, str, str]]:
    return [(p.line, p.field, p.message) for p in active_content("stories/x.md", body, 8, scan(body, 8))]


@pytest.mark.parametrize("text,field,says", [
    ("<script>alert(1)</script>", "body", "<script>"),
    ("<SCRIPT src=x></SCRIPT>", "body", "<script>"),
    ('<div onclick="x">点</div>', "body", "onclick="),
    ('文字 <span onmouseover=x>悬停</span> 文字', "body", "onmouseover="),
    ("[点我](javascript:alert(1))", "link", "javascript:"),
    ("<javascript:alert(1)>", "link", "javascript:"),
    ('<a href=" JavaScript:alert(1)">x</a>', "body", "javascript:"),
    ('<iframe src="https://v.qq.com/x"></iframe>', "body", "<iframe>"),
    ('<video src="https://cdn.example.com/a.mp4"></video>', "body", "cdn.example.com"),
    ('<audio controls src="//cdn.example.com/a.mp3"></audio>', "body", "cdn.example.com"),
    ('## 标题 {: onclick="alert(1)" }', "body", "onclick"),
    ('[链接](https://x.org){: href="javascript:alert(1)"}', "body", "javascript"),
    ('<meta http-equiv="refresh" content="0;url=https://x.org">', "body", "<meta>"),
])
def test_active_content_is_refused_at_its_line(text: str, field: str, says: str) -> None:
    problems = found(f"正文。\n\n{text}\n")
    assert [(line, f) for line, f, _ in problems] == [(10, field)]
    assert says in problems[0][2]


@pytest.mark.parametrize("text", [
    "```\n<script>示例代码</script>\n{: onclick=ok}\n```",
    "    <script>缩进的代码</script>",
    "`<script>` 和 `onclick=` 是行内代码。",
    "<table><tr><td>普通表格</td></tr></table>",
    "<details><summary>更多</summary>内容</details>",
    "上标 x<sup>2</sup>，换行<br>继续。",
    "![图](a.jpg){: .wide }",
    "## 标题 {#online}",
    '<a href="https://www.redcross.org.cn/">红十字会</a>',
    "[下载](files/onboarding.pdf) 和 [邮件](mailto:a@b.org)",
    "一次 onclick= 的说明写在正文里，不在标签中。",
])
def test_ordinary_html_and_code_are_allowed(text: str) -> None:
    assert found(f"正文。\n\n{text}\n") == []
