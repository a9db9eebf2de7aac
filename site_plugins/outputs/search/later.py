"""A page's search description by reference: a page a build did not render again (`Later`).

An incremental build (adapters/rebuild.py) keeps the page files it did not render: their bodies
are what the last build described. Reading 3,600 pages back only to learn that their shards are
the ones the last index had took seconds; a `Later` names the page's file instead and carries the
digest of its whole description (the last build's), so the search worker finds the shard by its
key without the page, and reads the file only if the shard goes through Pagefind again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from site_plugins.outputs.pages.rendered import entry_body, page_content
from site_plugins.outputs.search.records import PageSource

# Where a description's body goes when it is made without the page (pipeline/searching.py
# `describe`): a string no rendered page holds, so a description that embeds it is known to.
BODY = "\0rc-search-body\0"


def digest(source: PageSource) -> bytes:
    """A description's digest, the same in every process (its repr: strings, numbers and tuples only;
    a pickle's bytes depend on which equal strings are one object)."""
    return hashlib.blake2b(repr(source).encode("utf-8"), digest_size=20).digest()


@dataclass(frozen=True)
class Later:
    """A page described without its body: `source` holds BODY where the body goes, `file` the page
    the engine wrote, `whole` the digest of the description with the body (as the last build made it)."""

    source: PageSource
    file: str  # absolute path of the page's index.html
    entry: bool  # a story's or lecture's page: its body is `entry_body`, else `page_content`
    whole: bytes

    def resolve(self) -> PageSource:
        """The description with the page's body, read from its file now."""
        with open(self.file, encoding="utf-8") as stream:
            html = stream.read()
        body = entry_body(html) if self.entry else page_content(html)
        return replace(self.source, body_html=body or "")


def key_of(item: PageSource | Later) -> bytes:
    return item.whole if isinstance(item, Later) else digest(item)


def source_of(item: PageSource | Later) -> PageSource:
    return item.resolve() if isinstance(item, Later) else item
