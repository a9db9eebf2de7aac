"""Images as editors write them where CommonMark reads text: the build's own reading, and near misses.

The scanner (content/markdown.py) parses with markdown-it (CommonMark), but
the build renders with Python-Markdown, which reads more as an image: a
destination with spaces and balanced parentheses, as phones and the web
editor name photos (`微信图片 20260105 (2).jpg`). For the text markdown-it
leaves alone, `read` asks Python-Markdown's own image processor, so check and
build cannot disagree about the target. What neither reads as an image but an
editor meant as one is reported too (`near_misses`): a destination cut by an
unbalanced parenthesis, or the syntax typed with a Chinese keyboard
(！【说明】（照片.jpg）), which would be published as literal text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown import Markdown
from markdown.inlinepatterns import IMAGE_LINK_RE, ImageInlineProcessor

from site_plugins.content.schema import IMAGE_SUFFIXES

PARENTHESIS = "parenthesis"
FULL_WIDTH = "full-width"


class _Images(ImageInlineProcessor):
    """Python-Markdown's image processor on plain text: no stashed placeholders to restore."""

    def unescape(self, text: str) -> str:
        return text


_PROCESSOR = _Images(IMAGE_LINK_RE, Markdown())
_START = re.compile(IMAGE_LINK_RE)
# ![说明](照片.jpg) typed in a Chinese input method: ！ 【 】 （ ） in place of some of ! [ ] ( ).
_FULL_WIDTH_RE = re.compile(r"([!！])([\[【])([^\]】\n]*)([\]】])([(（])([^)）\n]*)([)）])")


@dataclass(frozen=True)
class Loose:
    """An image found in text: its alt and target as the build reads them, and the raw text from the target on."""

    alt: str
    target: str
    rest: str  # the source after "](" to the end of the line: where a cut-off name continues
    unread: str = ""  # why the build does not read it as an image (published as text): PARENTHESIS, FULL_WIDTH


def read(text: str) -> list[Loose]:
    """Every `![alt](target)` in a text run, as Python-Markdown reads it, and those it cannot read."""
    found: list[Loose] = []
    position = 0
    while (start := text.find("![", position)) >= 0:
        alt, index, closed = _PROCESSOR.getText(text, _START.match(text, start).end())  # type: ignore[union-attr]
        if not closed or not text.startswith("(", index):
            position = start + 2
            continue
        rest = text[index + 1:].split("\n", 1)[0]
        target, _title, end, handled = _PROCESSOR.getLink(text, index)
        if handled:
            found.append(Loose(html.unescape(alt), html.unescape(target), rest))
            position = end
        else:
            found.append(Loose(alt, rest.strip(), rest, PARENTHESIS))
            position = index
    for match in _FULL_WIDTH_RE.finditer(text):
        bang, opening, alt, closing, left, target, right = match.groups()
        if not (bang + opening + closing + left + right).isascii() and target.strip().lower().endswith(IMAGE_SUFFIXES):
            found.append(Loose(alt, target.strip(), target, FULL_WIDTH))
    return found


def markdown_line(alt: str, name: str) -> str:
    """The line that inserts image `name` whatever characters it holds: the name in angle brackets
    when a parenthesis or space in it would cut it (CommonMark and Python-Markdown both read that)."""
    plain = not any(char in name for char in " ()<>")
    return f"![{alt}]({name})" if plain else f"![{alt}](<{name}>)"
