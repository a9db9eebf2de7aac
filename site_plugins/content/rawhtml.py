"""Body HTML that would run, or load another site, for every reader: refused with its line.

Python-Markdown passes raw HTML and link targets through as written, so a
`<script>` pasted from a web page, an `onclick=` attribute, a `javascript:`
link or an `<iframe>` of a video site would reach the public site as it is.
Ordinary HTML (tables, `<br>`, `<sup>`, `<details>`) stays allowed; raw
`<img>` has its own rule (content/paths.py).
"""

from __future__ import annotations

import re

from site_plugins.content.markdown import Scan
from site_plugins.content.problems import Problem

_ACTIVE_TAG = re.compile(r"<\s*(script|iframe|frame|frameset|object|embed|applet|base|form|meta|link|svg|math)\b", re.I)
_HANDLER = re.compile(r"<[a-zA-Z][^>]*?[\s/\"'](on[a-z]+)\s*=", re.I)
_SCHEME = r"(javascript|vbscript|data)\s*:"
_URL_ATTR = re.compile(r"[\s/\"'](?:href|src|srcset|action|formaction|poster|background)\s*=\s*[\"']?\s*" + _SCHEME, re.I)
_REMOTE_SRC = re.compile(r"[\s/\"'](?:src|srcset|poster|background)\s*=\s*[\"']?\s*((?:https?:)?//[^\s\"'>]+)", re.I)
_BAD_TARGET = re.compile(r"^\s*" + _SCHEME, re.I)
# attr_list (mkdocs.yml) sets any attribute from `{: …}` after a heading, paragraph, link or image.
_ATTR_LIST = re.compile(r"\{[^{}\n]*\}")
_ATTR_HANDLER = re.compile(r"(?<![\w-])(on[a-z]+)\s*=", re.I)
_ATTR_URL = re.compile(r"(?<![\w-])(?:href|src|action|formaction)\s*=\s*[\"']?\s*" + _SCHEME, re.I)


def refused(html: str) -> bool:
    """Raw HTML that `active_content` refuses: a tag that runs or loads, a handler, a script URL, a remote file."""
    return any(pattern.search(html) for pattern in (_ACTIVE_TAG, _HANDLER, _URL_ATTR, _REMOTE_SRC))


def active_content(page: str, body: str, first_line: int, found: Scan) -> list[Problem]:
    """Script, event handlers, script links and content loaded from other hosts in a page's body."""
    problems: list[Problem] = []
    in_code = {n for first, last in found.code for n in range(first, last + 1)}
    for number, text in enumerate(body.split("\n"), first_line):
        for attrs in _ATTR_LIST.findall(text) if number not in in_code else []:
            if bad := _ATTR_HANDLER.search(attrs) or _ATTR_URL.search(attrs):
                problems.append(Problem(page, number, "body", f"属性写法“{attrs[:60]}”里的 {bad.group(1)} 会在读者的浏览器里"
                                        "运行代码，网站不允许。请删去它。"))
    for line, html in found.html:
        if tag := _ACTIVE_TAG.search(html):
            name = tag.group(1).lower()
            problems.append(Problem(page, line, "body", f"正文里的 HTML 标签 <{name}> 会在读者的浏览器里运行代码或载入别的网站，"
                                    "网站不允许。请删去它；要介绍视频或地图，请插入截图并写上链接。"))
        elif handler := _HANDLER.search(html):
            problems.append(Problem(page, line, "body", f"正文里的 HTML 属性 {handler.group(1)}= 会在读者的浏览器里运行代码，"
                                    "网站不允许。请删去这个属性。"))
        elif scheme := _URL_ATTR.search(html):
            problems.append(Problem(page, line, "body", f"正文里的 HTML 地址以 {scheme.group(1).lower()}: 开头，会运行代码，"
                                    "网站不允许。链接请写以 https:// 开头的网址。"))
        elif remote := _REMOTE_SRC.search(html):
            problems.append(Problem(page, line, "body", f"正文里的 HTML 从别的网站载入“{remote.group(1)[:60]}”，网站不允许"
                                    "（读者的隐私和打开速度）。请把文件下载下来放进 content/，用 Markdown 写法插入。"))
    for link in found.links:  # an image target has the image rules (content/paths.py)
        if not link.image and (scheme := _BAD_TARGET.match(link.target)):
            problems.append(Problem(page, link.line, "link",
                                    f"链接“{link.target[:40]}”以 {scheme.group(1).lower()}: 开头，点开会运行代码，"
                                    "网站不允许。请写以 https:// 开头的网址，或本站文章的文件名。"))
    return problems
