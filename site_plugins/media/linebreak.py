"""Chinese line breaking for titles drawn on images (the social images).

Breaks by character under the usual rules (GB/T 15834, W3C clreq): no line
starts with ，。、；：？！ or a closing bracket, none ends with an opening one;
Latin words, numbers, dash and ellipsis pairs stay whole. Widths come from a
`measure` callable, so the rules know nothing of fonts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Chinese line-breaking rules (GB/T 15834, W3C clreq): never at the start of a line ...
NO_START = frozenset("，。、；：？！）》」』】〉〕］｝〗〙〛”’…—–·・‧,.;:?!)]}%‰℃～〜々ー")
# ... and never at the end of one.
NO_END = frozenset("（《「『【〈〔［｛〖〘〚“‘([{")
# Units that are never split: Latin words and numbers (5+N, 2026, AED), dash and ellipsis pairs.
_UNITS = re.compile(r"[A-Za-z0-9]+(?:[.,:/+\-'’][A-Za-z0-9]+)*[%+]?|—+|…+|⋯+|\s+|.", re.S)


def units(text: str) -> list[str]:
    """Split a title into the pieces a line may break between."""
    return _UNITS.findall(text)


def _can_break(pieces: list[str], at: int) -> bool:
    """May a line end after pieces[at-1] and the next begin with pieces[at]?"""
    return pieces[at][0] not in NO_START and pieces[at - 1][-1] not in NO_END


def wrap(text: str, measure: Callable[[str], float], width: float, additive: bool = False) -> list[str]:
    """Break `text` into lines no wider than `width`, by character, under the Chinese rules.

    When the piece that overflows may not start a line (，。！ or a closing
    bracket), the line gives up pieces until a legal break: the punctuation
    goes down with the character before it instead of hanging past the margin.
    `additive`: a text's width is the sum of its pieces' (no kerning), so each
    piece is measured once instead of every start of a line.
    """
    pieces = units(" ".join(text.split()))
    widths = [measure(p) for p in pieces] if additive else []
    lines: list[str] = []
    start = 0
    while start < len(pieces):
        if pieces[start].isspace():
            start += 1
            continue
        end, total = start, 0.0
        if additive:
            while end < len(pieces) and total + widths[end] <= width:
                total += widths[end]
                end += 1
        else:
            while end < len(pieces) and measure("".join(pieces[start:end + 1])) <= width:
                end += 1
        if end == len(pieces):
            lines.append("".join(pieces[start:]).rstrip())
            break
        if end == start:  # one piece wider than the line: a very long Latin word; split it
            chars = list(pieces[start])
            pieces[start:start + 1] = chars
            if additive:
                widths[start:start + 1] = [measure(c) for c in chars]
            if len(pieces[start]) == 1 and measure(pieces[start]) > width:
                end = start + 1  # a single character wider than the line: nothing else to do
            else:
                continue
        cut = end
        while cut > start + 1 and not _can_break(pieces, cut):
            cut -= 1
        if not _can_break(pieces, cut):
            cut = end  # no legal break anywhere in the line: break where it overflows
        lines.append("".join(pieces[start:cut]).rstrip())
        start = cut
    return lines


def balance(text: str, measure: Callable[[str], float], width: float, additive: bool = False) -> list[str]:
    """Like `wrap`, but with lines of even length: the narrowest width giving as few lines.

    A headline reads "太原公交站 / 旁的四分钟", not "太原公交站旁的四分 / 钟".
    """
    lines = wrap(text, measure, width, additive)
    low, high = 0.0, width
    while high - low > 1:
        mid = (low + high) / 2
        if len(wrap(text, measure, mid, additive)) <= len(lines):
            high = mid
        else:
            low = mid
    return wrap(text, measure, high, additive)


def truncate(line: str, measure: Callable[[str], float], width: float) -> str:
    """The longest start of `line` that fits `width` with an ellipsis, never ending on an opening bracket."""
    pieces = units(line)
    while pieces and (measure("".join(pieces) + "…") > width or pieces[-1][-1] in NO_END or pieces[-1].isspace()):
        pieces.pop()
    return "".join(pieces) + "…"
