"""HTML pasted from Word and WeChat: cleaned to plain HTML with a notice, or refused at its line."""

from __future__ import annotations

import pytest

from site_plugins.content import pastedhtml
from site_plugins.content.frontmatter import parse_text
from site_plugins.content.markdown import scan

pytestmark = pytest.mark.unit

WORD = """<p class=MsoNormal style='mso-margin-top-alt:auto'><span lang=EN-US style='font-size:12.0pt;
font-family:"宋体";mso-bidi-font-family:宋体'>志愿者在车站<o:p></o:p></span></p>
<p class=MsoListParagraph><![if !supportLists]><span style='mso-list:Ignore'>1.</span><![endif]>第一条 &amp; 第二条</p>
<table class=MsoTableGrid border=1 cellspacing=0 style='border-collapse:collapse'><tr><td width=100 valign=top
style='border:solid windowtext 1.0pt'><p class=MsoNormal>合计</p></td><td colspan=2>120 人</td></tr></table>
<style><!-- p.MsoNormal {margin:0} body {display:none} --></style>"""
WECHAT = ('<section style="margin: 0px;" data-tools="135编辑器" data-id="85660"><p style="text-align: center;">'
          '<span style="color: rgb(255, 0, 0);"><strong>冬夜送温暖</strong></span></p><p>原文见 '
          '<a href="https://mp.weixin.qq.com/s/x" data-linktype="2" target="_blank">公众号</a></p></section>')


def body_of(body: str) -> tuple[str, list[str], list[str]]:
    """(published body, notice lines, problem lines) of a story with this body."""
    doc = parse_text(f"---\ntitle: 测试\n---\n\n{body}\n", "stories/a.md")
    found = scan(doc.body, doc.body_line)
    return (doc.body, [f"{n.line}: {n.message}" for n in doc.notices],
            [f"{p.line}: {p.message}" for p in pastedhtml.problems("stories/a.md", found)])


def test_word_markup_is_cleaned_to_plain_html_on_its_lines() -> None:
    body, notices, problems = body_of(WORD + "\n\n正文接着写。")
    first = body.split("\n")[1]
    assert first == ('<p>志愿者在车站</p> <p>1.第一条 &amp; 第二条</p> <table><tbody><tr><td><p>合计</p></td>'
                     '<td colspan="2">120 人</td></tr></tbody></table>')
    assert body.split("\n")[2:8] == [""] * 6 and body.split("\n")[8] == "正文接着写。"  # lines stay where they were
    assert problems == []
    assert len(notices) == 1 and notices[0].startswith("5: ")
    for marker in ("class=MsoNormal", "mso- 样式", "<o:p>"):
        assert marker in notices[0]


def test_wechat_markup_keeps_text_links_and_emphasis() -> None:
    body, notices, problems = body_of(WECHAT)
    assert body.strip() == ('<p><strong>冬夜送温暖</strong></p><p>原文见 '
                            '<a href="https://mp.weixin.qq.com/s/x">公众号</a></p>')
    assert problems == [] and "data-* 属性" in notices[0] and "<section …>" in notices[0]


def test_inline_tags_in_a_paragraph_are_cleaned_in_place() -> None:
    body, notices, _ = body_of('第一段，<span style="color:red">红字</span>和<strong style="font-size:18px">粗</strong>。'
                               '\n\n> <font color=red>引用</font>里')
    assert body == '\n第一段，红字和<strong>粗</strong>。\n\n> 引用里\n'
    assert [n.split(":")[0] for n in notices] == ["5", "7"]


def test_code_and_ordinary_html_are_left_alone() -> None:
    text = ('`<span style="x">代码</span>`\n\n```html\n<p class=MsoNormal>示例</p>\n```\n\n'
            '<details><summary>更多</summary>内容</details>\n\n<div markdown="1">**Markdown**</div>\n\n'
            '手写的<span class="note">注</span>和<sup>1</sup>。')
    body, notices, problems = body_of(text)
    assert body == f"\n{text}\n" and notices == [] and problems == []


def test_what_cleaning_would_lose_is_refused_at_its_line() -> None:
    body, notices, problems = body_of('正文。\n\n<section data-id="1"><p style="x">视频：</p><video src="v.mp4"></video></section>')
    assert notices == [] and "<video" in body
    assert len(problems) == 1 and problems[0].startswith("7: ") and "<video>" in problems[0] and "content/" in problems[0]


def test_pasted_pictures_are_left_for_the_image_rule() -> None:
    found = scan('<section data-tools="x"><img data-src="https://mmbiz.qpic.cn/a.jpg"></section>\n')
    assert pastedhtml.problems("stories/a.md", found) == []  # paths.page_images refuses the <img>, in its words
    assert found.raw_images() == [1]
    assert body_of('<section data-tools="x"><img data-src="https://mmbiz.qpic.cn/a.jpg"></section>')[1] == []
