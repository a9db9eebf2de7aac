"""The narrative vocabulary: keys, Chinese labels, aliases, read from one YAML file.

Editors tag with a label, key or alias; everything downstream sees only keys.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_plugins import urls
from site_plugins.content import invisible
from site_plugins.content.frontmatter import clean, decode
from site_plugins.content.problems import Problem
from site_plugins.content.yamlload import load

KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
# Narratives whose photos show vulnerable people ask for consent unless the file says otherwise.
CONSENT_BY_DEFAULT = frozenset({"eldercare"})
FIELDS = ("key", "label", "description", "aliases", "icon", "color", "consent")


@dataclass(frozen=True)
class Narrative:
    """One narrative of the vocabulary."""

    key: str
    label: str
    description: str
    aliases: tuple[str, ...] = ()
    icon: str = ""
    color: str = ""
    consent: bool = False

    @property
    def url(self) -> str:
        return urls.narrative(self.key)


@dataclass(frozen=True)
class Vocabulary:
    """All narratives in file order, with a lookup from every spelling to its key."""

    narratives: tuple[Narrative, ...]
    lookup: dict[str, str]

    def __getitem__(self, key: str) -> Narrative:
        return next(n for n in self.narratives if n.key == key)

    def resolve(self, name: str) -> str | None:
        """Key for a label, key or alias (case- and space-insensitive), else None."""
        return self.lookup.get(_norm(name))

    def suggest(self, name: str) -> str | None:
        """The Chinese label closest to a misspelt name, if any is close."""
        spellings = list(self.lookup)
        close = difflib.get_close_matches(_norm(name), spellings, n=1, cutoff=0.5)
        return self[self.lookup[close[0]]].label if close else None

    def labels(self) -> str:
        return "、".join(n.label for n in self.narratives)


def _norm(name: str) -> str:
    return re.sub(r"\s+", "", str(name)).lower()


def parse_vocabulary(text: str, path: str) -> tuple[Vocabulary | None, list[Problem]]:
    """Parse the vocabulary YAML (a list of entries); return it or the problems found."""
    text, notices = clean(text, path)
    loaded = load(text, path, "narratives", offset=1)
    notices += loaded.notices
    if loaded.problems:
        return None, [*loaded.problems, *notices]
    data, node = invisible.strip_value(loaded.data, lambda chars: None), loaded.node
    problems: list[Problem] = []
    if not isinstance(data, list) or not data or not isinstance(node, yaml.SequenceNode):
        return None, [Problem(path, 1, "narratives", "专题词表应是一个列表，每项以 “- key: ...” 开头。"), *notices]
    narratives: list[Narrative] = []
    lookup: dict[str, str] = {}
    owner: dict[str, str] = {}
    for item, item_node in zip(data, node.value, strict=True):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            problems.append(Problem(path, line, "narratives", "每个专题应包含 key、label、description。"))
            continue
        for name in item:
            if name not in FIELDS:
                close = difflib.get_close_matches(str(name), FIELDS, n=1, cutoff=0.6)
                hint = f"是不是 {close[0]}？" if close else f"可用字段：{'、'.join(FIELDS)}。"
                problems.append(Problem(path, line, str(name), f"专题里有未知字段 {name}，会被忽略。{hint}"))
        key = str(item.get("key") or "")
        label = str(item.get("label") or "").strip()
        where = f"专题 {key or '?'}"
        if not KEY_RE.match(key):
            problems.append(Problem(path, line, "key", f"{where}：key 应为小写英文字母、数字和连字符，例如 first-aid。"))
            continue
        if not label:
            problems.append(Problem(path, line, "label", f"{where}：缺少中文名称 label，例如 label: 志愿服务。"))
            continue
        if key in (n.key for n in narratives):
            problems.append(Problem(path, line, "key", f"key “{key}” 重复出现。每个专题的 key 必须唯一。"))
            continue
        color = str(item.get("color") or "")
        if color and not COLOR_RE.match(color):
            problems.append(Problem(path, line, "color", f"{where}：颜色应写成 #RRGGBB，例如 #c62828。"))
        aliases = tuple(str(a) for a in item.get("aliases") or ())
        for spelling in (key, label, *aliases):
            norm = _norm(spelling)
            if norm in owner and owner[norm] != key:
                problems.append(Problem(
                    path, line, "aliases",
                    f"“{spelling}” 同时属于专题 {owner[norm]} 和 {key}。一个名称只能指向一个专题，请删去其一。",
                ))
            owner[norm] = key
            lookup[norm] = key
        consent = item.get("consent")
        narratives.append(Narrative(
            key=key, label=label, description=str(item.get("description") or "").strip(),
            aliases=aliases, icon=str(item.get("icon") or ""), color=color,
            consent=bool(consent) if consent is not None else key in CONSENT_BY_DEFAULT,
        ))
    if problems:
        return None, [*problems, *notices]
    return Vocabulary(tuple(narratives), lookup), notices


def load_vocabulary(file: Path, path: str) -> tuple[Vocabulary | None, list[Problem]]:
    """Read and parse the vocabulary file."""
    if not file.is_file():
        return None, [Problem(path, 1, "narratives", "找不到专题词表文件。请恢复 content/narratives.yml。")]
    text, problem = decode(file.read_bytes(), path)
    if problem is not None:
        return None, [problem]
    assert text is not None
    vocabulary, problems = _parsed(text, path)
    return vocabulary, list(problems)


@functools.lru_cache(maxsize=4)
def _parsed(text: str, path: str) -> tuple[Vocabulary | None, tuple[Problem, ...]]:
    """The same file gives the same object: what is kept by an entry and the vocabulary compares at once."""
    vocabulary, problems = parse_vocabulary(text, path)
    return vocabulary, tuple(problems)
