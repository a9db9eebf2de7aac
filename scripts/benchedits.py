"""The scripted edits of `scripts/bench --serve` and `--incremental`, made on a bench corpus.

An edit is what an editor saves: a story's body, its title, one of its tags (swapped for
another narrative of the vocabulary), a new story file, or a deleted one. Each knows the
file it writes (atomically, through a temporary file and a rename, as an editor's save)
and what must become visible where: a piece of text (or a pattern) in a page at its site
path. The same sequence is made from the same corpus every time (no randomness, no
clock), so two copies of a corpus receive identical edits.

The corpus is scripts/benchcorpus.py's: its stories' front matter has one `title:`,
`date:` and `tags: [..]` line each, in that form.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_plugins import urls  # noqa: E402

KINDS = ("body", "title", "tag", "new")  # what `--serve` edits; `--incremental` adds "delete"
NEWEST = 6  # tag edits go to stories among the newest few: on page 1 of every narrative listing


@dataclass(frozen=True)
class Check:
    """What must show once the edit is live: `pattern` (a regex) in the page at site path `url`.

    `reload`: the page shows nothing of the edit (plain Material shows no tags), so the
    server's reload signal stands for it (see bench_serve.py).
    """

    url: str
    pattern: str
    reload: bool = False

    def seen(self, html: str) -> bool:
        return re.search(self.pattern, html) is not None


@dataclass(frozen=True)
class Edit:
    kind: str
    number: int  # 1, 2, … over the whole sequence
    path: str  # relative to the corpus's content/
    text: str | None  # the file's new text; None deletes it
    checks: tuple[Check, ...]

    def apply(self, content: Path) -> None:
        """Save (or delete) the file under `content` as an editor's program does."""
        target = content / self.path
        if self.text is None:
            target.unlink()
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        # A hidden name: MkDocs skips dot files, so the watcher's build never reads it half-written.
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(self.text)
        os.replace(temp, target)


def _field(text: str, name: str) -> str:
    match = re.search(rf"^{name}: (.*)$", text, re.MULTILINE)
    if not match:
        raise ValueError(f"no `{name}:` line in a bench story")
    return match[1]


def _story_url(name: str) -> str:
    return urls.entry("story", name.removesuffix(".md"))


def vocabulary(content: Path) -> dict[str, str]:
    """{label: key} of the corpus's narratives.yml."""
    entries = yaml.safe_load((content / "narratives.yml").read_text(encoding="utf-8"))
    return {e["label"]: e["key"] for e in entries}


class Script:
    """Makes the numbered edits in order, reading each story's current text from `content`."""

    def __init__(self, content: Path, reference: bool = False) -> None:
        self.content, self.reference = content, reference
        self.labels = vocabulary(content)
        stories = sorted(p.name for p in (content / "stories").glob("bench-story-*.md"))
        dates = {name: _field((content / "stories" / name).read_text(encoding="utf-8"), "date") for name in stories}
        newest = sorted(stories, key=lambda n: dates[n], reverse=True)
        # Ties on the date could push one past page 1 of a listing: take only those with few as new.
        self.tagged = [n for n in newest[:NEWEST] if sum(d >= dates[n] for d in dates.values()) <= NEWEST]
        self.others = [n for n in stories if n not in newest[:NEWEST]]
        self.number = 0
        self.deleted: set[str] = set()
        self.pending: dict[str, str] = {}  # path: the text an earlier edit of the sequence gave it

    def next(self, kind: str) -> Edit:
        self.number += 1
        n = self.number
        make = {"body": self._body, "title": self._title, "tag": self._tag, "new": self._new, "delete": self._delete}
        edit = make[kind](n)
        if edit.text is not None:
            self.pending[edit.path] = edit.text
        return edit

    def _pick(self, n: int) -> str:
        """A story spread over the corpus, never one deleted."""
        live = [s for s in self.others if s not in self.deleted]
        return live[(n * 7919) % len(live)]

    def _read(self, name: str) -> str:
        path = f"stories/{name}"
        return self.pending.get(path) or (self.content / path).read_text(encoding="utf-8")

    def _body(self, n: int) -> Edit:
        name = self._pick(n)
        mark = f"改动标记{n:04d}号"
        text = self._read(name).rstrip("\n") + f"\n\n编辑在这里补充了一句话（{mark}）。\n"
        return Edit("body", n, f"stories/{name}", text, (Check(_story_url(name), re.escape(mark)),))

    def _title(self, n: int) -> Edit:
        name = self._pick(n)
        text = self._read(name)
        title = _field(text, "title")
        mark = f"修订第{n}稿"
        plain = re.sub(r"·修订第\d+稿$", "", title)  # a story titled again keeps one mark
        text = text.replace(f"title: {title}\n", f"title: {plain}·{mark}\n", 1)
        return Edit("title", n, f"stories/{name}", text, (Check(_story_url(name), f"<h1[^>]*>[^<]*{mark}"),))

    def _tag(self, n: int) -> Edit:
        name = self.tagged[n % len(self.tagged)]
        text = self._read(name)
        line = _field(text, "tags")
        tags = [t.strip() for t in line.strip("[]").split(",")]
        spare = [label for label in self.labels if label not in tags]
        new = spare[n % len(spare)]
        changed = [*tags[:-1], new]
        text = text.replace(f"tags: {line}\n", f"tags: [{', '.join(changed)}]\n", 1)
        key = self.labels[new]
        page = _story_url(name)
        if self.reference:  # plain Material shows no tags and has no narrative listings
            checks = (Check(page, "", reload=True),)
        else:
            checks = (Check(page, rf'class="rc-tag" href="[^"]*{re.escape(urls.narrative(key))}"'),
                      Check(urls.narrative(key), rf'href="[^"]*{re.escape(page)}"'))
        return Edit("tag", n, f"stories/{name}", text, checks)

    def _new(self, n: int) -> Edit:
        label = list(self.labels)[n % len(self.labels)]
        mark = f"新增故事第{n}篇"
        # An old date: the new story never pushes a tag edit's story off page 1 of a listing.
        text = (f"---\ntitle: 太原：{mark}\ndate: 2019-03-{n % 28 + 1:02d}\ntags: [{label}]\ncity: 太原\n---\n\n"
                f"这是编辑新写的一篇故事（{mark}），讲的是社区志愿者教居民做心肺复苏。\n")
        name = f"bench-new-{n:04d}.md"
        return Edit("new", n, f"stories/{name}", text, (Check(_story_url(name), re.escape(mark)),))

    def _delete(self, n: int) -> Edit:
        name = self._pick(n)
        self.deleted.add(name)
        return Edit("delete", n, f"stories/{name}", None, ())


def sequence(content: Path, kinds: tuple[str, ...], per_kind: int, reference: bool = False) -> list[Edit]:
    """`per_kind` edits of each kind, interleaved (body, title, tag, new, body, …), for a corpus
    the edits have not touched yet; apply them in order."""
    script = Script(content, reference)
    return [script.next(kind) for _ in range(per_kind) for kind in kinds]
