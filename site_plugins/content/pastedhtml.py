"""HTML pasted from Word and WeChat into a body: cleaned to plain HTML with a notice, or refused.

Word's clipboard brings `<o:p>`, `<w:…>` and `<v:…>` elements, `class=MsoNormal`,
`mso-` styles and conditional comments (`<!--[if gte mso 9]>`); the WeChat
editors (135编辑器, 秀米) bring `<section style=…>`, `<span style=…>` and
`data-*` attributes. Published as they are, their fonts and colours override
the site's (dark mode and 关怀版 lose their contrast) and a pasted `<style>`
restyles the whole page. Such a fragment (an HTML block, or the inline tags
of one paragraph) is cleaned here, before anything else reads the body, so
check and build see and publish the same cleaned text.

The cleaning is nh3's (the Python binding of Ammonia, a maintained Rust HTML
sanitizer built on html5ever, a real HTML parser): it keeps the text, links,
emphasis, lists and tables and drops every other element, attribute,
comment and `<style>`. Elements whose removal would lose content (a picture,
a video, a form) are never cleaned away: content/rawhtml.py and the image
rule refuse what they know (`<img>`, `<iframe>`, `<script>`...), and the
rest is refused here, at its line, with the way out.
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3

from site_plugins.content.markdown import Scan, has_raw_image, scan
from site_plugins.content.problems import Problem
from site_plugins.content.rawhtml import refused

TAGS = frozenset({"p", "br", "hr", "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark",
                  "code", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
                  "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "a", "abbr", "details", "summary",
                  "figure", "figcaption"})
ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
              "ol": {"start"}, "abbr": {"title"}}
# Elements that hold something besides text: cleaning them away would lose it.
CONTENT = frozenset({"img", "picture", "video", "audio", "source", "track", "iframe", "frame", "object", "embed",
                     "applet", "canvas", "svg", "math", "map", "area", "form", "input", "button", "select",
                     "textarea", "script", "noscript", "template"})
_CLEANER = nh3.Cleaner(tags=set(TAGS), attributes=ATTRIBUTES, link_rel=None, strip_comments=True,
                       url_schemes={"https", "http", "mailto", "tel"},
                       clean_content_tags={"script", "style", "xml", "title", "head", "noscript", "template"})
_MARK = "\ue000"  # a private-use character: where a lone start tag ends in nh3's output


class _Markup(HTMLParser):
    """What in a fragment was pasted from Word or WeChat (as editors would name it) and what it holds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.markers: dict[str, None] = {}
        self.elements: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.add(tag)
        if ":" in tag:
            self.markers[f"<{tag}>"] = None
        elif tag in ("section", "font", "style", "xml"):
            self.markers[f"<{tag}{' …' if attrs else ''}>"] = None
        elif tag == "span" and any(name == "lang" for name, _value in attrs):  # Word: <span lang=EN-US>
            self.markers["<span lang=…>"] = None
        for name, value in attrs:
            if name.startswith("data-"):
                self.markers["data-* 属性"] = None
            elif ":" in name:
                self.markers[f"{name}="] = None
            elif name == "class" and (value or "").lower().startswith("mso"):
                self.markers[f"class={(value or '').split()[0]}"] = None
            elif name == "style":
                self.markers["mso- 样式" if "mso-" in (value or "") else "style 样式"] = None

    def handle_comment(self, data: str) -> None:
        if data.lstrip().startswith("[if") or data.rstrip().endswith("[endif]"):
            self.markers["条件注释 <!--[if …]>"] = None

    def unknown_decl(self, data: str) -> None:
        if data.startswith(("if", "endif")):
            self.markers["条件注释 <![if …]>"] = None


def markup(fragment: str) -> _Markup:
    found = _Markup()
    found.feed(fragment)
    found.close()
    return found


def clean_body(path: str, body: str, first_line: int) -> tuple[str, list[Problem]]:
    """`body` with every fragment of Word or WeChat markup cleaned, a notice for each; lines stay where they were.

    A fragment holding what cleaning would lose is left as it is, for `problems` to refuse.
    """
    if "<" not in body:
        return body, []
    lines = body.split("\n")
    notices: list[Problem] = []
    for line, last, fragment, tags in _fragments(scan(body, first_line)):
        what = markup(fragment)
        if not what.markers or _refusal(what, fragment) is not None:
            continue
        if tags:
            _inline(tags, lines, first_line)
        else:
            _block(fragment, lines, line - first_line, last - first_line)
        notices.append(Problem(path, line, "body", _message(what), notice=True))
    return "\n".join(lines), notices


def problems(path: str, found: Scan) -> list[Problem]:
    """Word or WeChat markup left in a (cleaned) body: refused at its line, unless another rule refuses it."""
    out = []
    for line, _last, fragment, _tags in _fragments(found):
        what = markup(fragment)
        message = _refusal(what, fragment) if what.markers else ""
        if message is None:  # cleanable, yet not cleaned: never published as it is
            message = ("这段 HTML 是从 Word 或微信粘贴来的，没能自动清理，原样不能发布。"
                       "请把这段改写成 Markdown，或删去后把文字粘贴为纯文本。")
        if message:
            out.append(Problem(path, line, "body", message))
    return out


def _fragments(found: Scan) -> list[tuple[int, int, str, list[tuple[int, str]]]]:
    """(first line, last line, HTML, inline tags with their lines) of each HTML block and of each
    paragraph's inline HTML (tags empty for a block)."""
    blocks = dict(found.html_blocks)
    inline: dict[int, list[str]] = {}
    out: list[tuple[int, int, str, list[tuple[int, str]]]] = []
    for line, html in found.html:
        if line in blocks:
            out.append((line, blocks[line], html, []))
        else:
            inline.setdefault(line, []).append(html)
    for first, last in found.inline_runs:
        tags = [(line, tag) for line in range(first, last + 1) for tag in inline.get(line, [])]
        if tags:
            out.append((first, last, "".join(tag for _line, tag in tags), tags))
    return out


def _refusal(what: _Markup, fragment: str) -> str | None:
    """None when the fragment may be cleaned; "" when another rule refuses it in its own words
    (content/rawhtml.py, the image rule); else why it is refused: what cleaning would lose."""
    if refused(fragment) or has_raw_image(fragment):
        return ""
    lost = sorted(what.elements & CONTENT)
    if lost:
        names = "、".join(f"<{name}>" for name in lost)
        return (f"这段从 Word 或微信粘贴来的 HTML 里有 {names}，清理会把它们丢掉，原样又不能发布。"
                "请把图片、视频等文件下载下来放进 content/，用 Markdown 写法插入（图片写 ![说明](文件名.jpg)），"
                "再删去这段 HTML，文字部分可以直接粘贴为纯文本。")
    return None


def _message(what: _Markup) -> str:
    shown = "、".join(list(what.markers)[:4])
    return (f"这段 HTML 是从 Word 或微信粘贴来的（{shown}），已清理为普通 HTML 再发布：去掉了字体、颜色、字号等样式，"
            "保留文字、链接、列表和表格，按网站自己的样式显示。建议把这段改写成 Markdown，或粘贴为纯文本。")


def _block(fragment: str, lines: list[str], start: int, end: int) -> None:
    """Lines `start`..`end` (an HTML block) as its cleaned HTML on the first and blank lines after."""
    prefix = lines[start][: len(lines[start]) - len(lines[start].lstrip(" >"))]  # a quote's "> " or a list's indent
    cleaned = " ".join(_CLEANER.clean(fragment).split())  # one line: the lines below stay where they were
    lines[start: end + 1] = [prefix + cleaned if cleaned else ""] + [""] * (end - start)


def _inline(tags: list[tuple[int, str]], lines: list[str], first_line: int) -> None:
    """Each inline tag of one paragraph replaced, in place, by what the cleaning leaves of it."""
    cursor: dict[int, int] = {}
    for at, tag in tags:
        index = at - first_line
        text = lines[index]
        start = text.find(tag, cursor.get(at, 0))
        if start < 0:  # not where the scanner saw it (an entity, a container prefix): leave the line
            continue
        replacement = _clean_tag(tag)
        lines[index] = text[:start] + replacement + text[start + len(tag):]
        cursor[at] = start + len(replacement)


def _clean_tag(tag: str) -> str:
    """One inline tag as the cleaning leaves it: an allowed start tag without its attributes, else nothing."""
    if tag.startswith("</"):
        return tag if tag[2:-1].strip().lower() in TAGS else ""
    cleaned = _CLEANER.clean(tag + _MARK)
    return cleaned.split(_MARK, 1)[0]
