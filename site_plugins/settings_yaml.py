"""mkdocs.yml read for `settings.load`: YAML with line numbers, typed sections, Chinese problems.

Knows nothing of the settings themselves: `read_yaml` gives the data, the line of every key
(`plugins.rc-images.max_megapixels`) and what is wrong with the file; `read_section` fills one
frozen dataclass from a mapping by its fields' types and bounds (`settings.option`). MkDocs'
tags do not break it: `!ENV` is resolved as MkDocs resolves it (pyyaml_env_tag's rules), and
`!!python/name:` (the toc's slugify) or `!relative` become an `Opaque` value no setting accepts.
"""

from __future__ import annotations

import difflib
import json
import os
import types
from collections.abc import Mapping
from dataclasses import MISSING, Field, fields
from typing import Any, get_args, get_origin, get_type_hints

import yaml

from site_plugins.content.problems import Problem
from site_plugins.content.yamlload import translate

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
REFERENCE = "docs/SETTINGS.md"


class Opaque:
    """A value behind a tag only MkDocs can construct (`!!python/name:…`); never a setting's value."""

    def __init__(self, tag: str) -> None:
        self.tag = tag

    def __repr__(self) -> str:
        return self.tag


class _Loader(_Base):
    """SafeLoader plus MkDocs' tags."""


def _env(loader: Any, node: yaml.Node) -> Any:
    """`!ENV VAR` or `!ENV [VAR, OTHER, default]`: the first variable set, read as YAML reads a value."""
    default = None
    if isinstance(node, yaml.SequenceNode):
        names = node.value[:-1] if len(node.value) > 1 else node.value
        if len(node.value) > 1:
            default = loader.construct_object(node.value[-1])
        variables = [loader.construct_scalar(n) for n in names]
    else:
        variables = [loader.construct_scalar(node)]
    for name in variables:
        if name in os.environ:
            value = os.environ[name]
            return loader.construct_object(yaml.ScalarNode(loader.resolve(yaml.ScalarNode, value, (True, False)), value))
    return default


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: Opaque(node.tag))
_Loader.add_multi_constructor("!", lambda loader, suffix, node: Opaque(node.tag))


def read_yaml(text: str, name: str) -> tuple[Any, dict[str, int], list[Problem]]:
    """(data, line of each key path, problems) of a YAML file named `name`."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        line, message = translate(exc, text.split("\n"), 1)
        return None, {}, [Problem(name, line, "YAML", message)]
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    _walk(node, "", lines, problems, name)
    return data, lines, problems


def _walk(node: yaml.Node | None, prefix: str, lines: dict[str, int], problems: list[Problem], name: str) -> None:
    """Record the line of every mapping key by its dotted path; a key written twice is a problem."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            text, line = str(key.value), key.start_mark.line + 1
            path = f"{prefix}.{text}" if prefix else text
            if text in seen:
                problems.append(Problem(name, line, path, f"{text} 写了两次（第 {seen[text]} 行和第 {line} 行），"
                                        "只会用到后一个。请删去其中一处。"))
            seen.setdefault(text, line)
            lines.setdefault(path, line)
            _walk(value, path, lines, problems, name)
    elif isinstance(node, yaml.SequenceNode):  # `plugins:` items keep the list's path: plugins.rc-images
        for item in node.value:
            _walk(item, prefix, lines, problems, name)


class _Bad(Exception):
    """A value of the wrong type or out of bounds; the message says what it should be."""


def _shown(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "（不设）"}[value]
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str | int | Opaque):
        return str(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(map(_shown, value)) + "]"
    return json.dumps(value, ensure_ascii=False, default=str)


def _scalar(value: Any, hint: Any) -> Any:
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise _Bad("应为 true 或 false")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise _Bad("应为整数")
    if hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise _Bad("应为数字")
    if hint is str:
        if isinstance(value, str):
            return value
        raise _Bad("应为一行文字")
    raise TypeError(f"unsupported setting type {hint!r}")


def _bounded(value: Any, meta: Mapping[str, Any]) -> Any:
    low, high = meta.get("min"), meta.get("max")
    if low is not None and value < low:
        raise _Bad(f"不能小于 {_shown(low)}")
    if high is not None and value > high:
        raise _Bad(f"不能大于 {_shown(high)}")
    return value


def convert(value: Any, hint: Any, meta: Mapping[str, Any]) -> Any:
    """`value` as a field of type `hint` (bool, int, float, str, X | None, tuple[X, ...], pairs)."""
    if isinstance(hint, types.UnionType):
        if value is None:
            return None
        hint = next(a for a in get_args(hint) if a is not type(None))
    if get_origin(hint) is tuple:
        item = get_args(hint)[0]
        if get_origin(item) is tuple:  # pairs: a mapping of plain values
            if not isinstance(value, Mapping) or any(isinstance(v, Mapping | list | Opaque) for v in value.values()):
                raise _Bad("应写成若干“名称: 值”（每个值一行文字、数字或 true/false）")
            return tuple((str(k), v) for k, v in value.items())
        if not isinstance(value, list | tuple):
            raise _Bad("应为列表，例如 [" + ("480, 960" if item is int else "a, b") + "]")
        items = tuple(_bounded(_scalar(v, item), meta) for v in value)
        length = meta.get("length")
        if (length is not None and len(items) != length) or not items:
            raise _Bad(f"应有 {length} 项" if length is not None else "至少要有一项")
        return items
    return _bounded(_scalar(value, hint), meta)


def _key(spec: Field[Any]) -> str:
    return spec.metadata.get("key") or spec.name


def read_section(cls: type, options: Mapping[str, Any], where: str, prefix: str, lines: Mapping[str, int],
                 name: str, known_only: bool = True) -> tuple[Any, list[Problem]]:
    """An instance of dataclass `cls` from the `options` at key path `prefix` (problems name `where`).

    `known_only`: a key that is no field is a problem (a plugin's options); else it is MkDocs'
    or the theme's and left alone (the top level).
    """
    hints = get_type_hints(cls)
    specs = {_key(f): f for f in fields(cls)}
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in options.items():
        key = str(key)
        line = lines.get(f"{prefix}.{key}" if prefix else key, lines.get(prefix, 1))
        spec = specs.get(key)
        label = f"{where}.{key}" if where else key
        if spec is None:
            if known_only and key != "enabled":  # MkDocs' own switch for every plugin
                close = difflib.get_close_matches(key, specs, n=1)
                hint = f"是不是 {close[0]}？" if close else ""
                problems.append(Problem(name, line, label, f"{where} 没有 {key} 这个设置。{hint}"
                                        f"请改正或删去这一行（全部设置见 {REFERENCE}）。"))
            continue
        if value is None and not isinstance(hints[spec.name], types.UnionType):
            continue  # `key:` with nothing after it: not set, the default holds
        try:
            values[spec.name] = convert(value, hints[spec.name], spec.metadata)
        except _Bad as bad:
            default = spec.default if spec.default is not MISSING else None
            problems.append(Problem(name, line, label, f"{key} {bad}，现在是“{_shown(value)}”。"
                                    f"请改正，或删去这一行（默认 {_shown(default)}）。"))
    return cls(**values), problems


def plugin_options(value: Any, lines: dict[str, int], name: str) -> tuple[dict[str, dict], tuple[str, ...], list[Problem]]:
    """(options by plugin, the rc-* plugins enabled, problems) of mkdocs.yml `plugins:` (a list or a mapping)."""
    items = list(value.items()) if isinstance(value, dict) else [
        (item, {}) if isinstance(item, str) else next(iter(item.items())) if isinstance(item, dict) and len(item) == 1
        else (None, None) for item in value or []]
    options: dict[str, dict] = {}
    problems: list[Problem] = []
    for plugin, given in items:
        if not isinstance(plugin, str) or not plugin.startswith("rc-"):
            continue  # MkDocs checks the others
        if given is not None and not isinstance(given, dict):
            problems.append(Problem(name, lines.get(f"plugins.{plugin}", 1), plugin,
                                    f"{plugin} 的设置应写成若干“名称: 值”，每个比 {plugin} 多缩进两个空格。"))
            given = {}
        options[plugin] = given or {}
    enabled = tuple(p for p, o in options.items() if o.get("enabled", True) is not False)
    return options, enabled, problems


def nav_titles(value: Any) -> tuple[tuple[str, str], ...]:
    """(Markdown source, title) of each page `nav:` names with a title, sections walked; MkDocs shows
    a page by its nav title, so the core describes it by the same one (pipeline/pages.py)."""
    found: list[tuple[str, str]] = []
    items = value if isinstance(value, list) else []
    while items:
        item, items = items[0], items[1:]
        if not isinstance(item, dict):
            continue
        for title, target in item.items():
            if isinstance(target, list):
                items = [*target, *items]
            elif isinstance(target, str) and target.endswith(".md") and title is not None:
                found.append((target.lstrip("/"), str(title)))
    return tuple(found)
