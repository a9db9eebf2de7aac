"""The editors' texts the share pictures show, and a notice for each that loses characters.

A card, square or poster draws only what its fonts have (media/social.py `drawable`); an emoji or
a rare character is left out of the picture, not of the page. scripts/check and the build report
the same notices (`share_text_notices`); the preview keeps each entry's while it is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from site_plugins.content.reuse import Derived
from site_plugins.content.schema import Entry, Lecture
from site_plugins.content.vocabulary import Vocabulary
from site_plugins.media.social import drawable


def card_texts(entries: Iterable[Entry], vocabulary: Vocabulary) -> list[tuple[str, int, str, str]]:
    """(path, line, field, text) of every editor's text the share pictures show: titles, narrative
    labels, and on the posters (media/poster.py) summaries, venues and speakers."""
    texts = [t for e in entries for t in _entry_texts(e)]
    return texts + [("narratives.yml", 1, "label", n.label) for n in vocabulary.narratives]


def _entry_texts(e: Entry) -> list[tuple[str, int, str, str]]:
    texts = [(e.source, e.lines.get("title", 1), "title", e.title)]
    if isinstance(e, Lecture):
        texts.append((e.source, e.lines.get("venue", 1), "venue", e.venue))
        texts += [(e.source, e.lines.get("speakers", 1), "speakers", f"{s.name}{s.affiliation}") for s in e.speakers]
    else:  # a derived summary (the first paragraph) is reported at the title, where the page starts
        texts.append((e.source, e.lines.get("summary", e.lines.get("title", 1)), "summary", e.summary))
    return texts


def share_text_notices(entries: Iterable[Entry], vocabulary: Vocabulary, fonts: Sequence[str]
                       ) -> list[tuple[str, int, str, str]]:
    """`card_notices` of `card_texts`: what scripts/check and the build report alike; an entry's
    kept while it is unchanged (the preview asks again for all 3,600 at each edit)."""
    out = [n for e in entries for n in _entry_notices(e, tuple(fonts))]
    return out + card_notices([("narratives.yml", 1, "label", n.label) for n in vocabulary.narratives], fonts)


@Derived
def _entry_notices(entry: Entry, fonts: tuple[str, ...]) -> list[tuple[str, int, str, str]]:
    return card_notices(_entry_texts(entry), fonts)


def card_notices(texts: Sequence[tuple[str, int, str, str]], fonts: Sequence[str]) -> list[tuple[str, int, str, str]]:
    """(path, line, field, message) for each text a share picture shows that loses characters.

    `texts` holds (path, line, field, text); `scripts/check` and the build both report these.
    """
    out = []
    for path, line, field, text in texts:
        _kept, lost = drawable(text, fonts)
        if lost:
            out.append((path, line, field, f"分享卡片和海报的字体里没有“{lost}”（如表情符号），图片上省略了这些字符；"
                                             "网页、搜索和订阅中的文字不受影响。"))
    return out
