"""Text from content, made safe for HTML templates once, where it enters them.

Templates (ours and Material's) print values with `{{ x }}` and MkDocs runs
Jinja without autoescaping, so every string handed to a template must already
be HTML. `html_text` escapes one string into a `Markup` (markupsafe, Jinja's
own type: `| e` leaves it alone, so nothing is escaped twice); `template_view`
does it for a whole view (dicts, lists, records), leaving values that are
already `Markup` (rendered Markdown, <picture> markup, JSON-LD) untouched.
The records themselves stay plain text for feeds, cards and JSON, which
escape for their own formats.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from markupsafe import Markup, escape

_PLAIN = (bool, int, float, date, datetime, type(None))


def html_text(value: str) -> Markup:
    """One piece of plain text as HTML: & < > " ' escaped."""
    return value if isinstance(value, Markup) else escape(value)


def template_view(value: Any) -> Any:
    """`value` with every plain string in it (at any depth) escaped for HTML."""
    kind = type(value)
    # Exact-type tests first: this runs on every value of every page's view, and the
    # abstract-class test (Mapping) is several times slower than a type comparison.
    if kind is str:
        return escape(value)
    if kind is Markup or kind is SafeView or value is None or kind in _PLAIN:
        return value
    if kind is dict:
        return {k: template_view(v) for k, v in value.items()}
    if kind is list:
        return tuple(template_view(v) for v in value)
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, Mapping):
        return {k: template_view(v) for k, v in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return SafeView(value)  # a NamedTuple (Thumb): keep its attributes, escape on access
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(template_view(v) for v in value)
    if isinstance(value, SafeView):
        return value
    return SafeView(value)


class SafeView:
    """A record seen through `template_view`: attributes and method results escaped on access."""

    __slots__ = ("_target",)

    def __init__(self, target: object) -> None:
        self._target = target

    def __reduce__(self) -> tuple[type[SafeView], tuple[object]]:
        return SafeView, (self._target,)  # kept between builds (pipeline/buildcache.py) by what it wraps

    def __getattr__(self, name: str) -> Any:
        if name == "_target":  # not set yet (a copy being made): never look it up in itself
            raise AttributeError(name)
        attr = getattr(self._target, name)
        if callable(attr) and not isinstance(attr, type):
            method: Callable[..., Any] = attr
            return lambda *args, **kwargs: template_view(method(*args, **kwargs))
        return template_view(attr)

    def __getitem__(self, key: Any) -> Any:
        return template_view(self._target[key])  # type: ignore[index]

    def __iter__(self) -> Any:
        return (template_view(v) for v in self._target)  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self._target)  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self._target)

    def __eq__(self, other: object) -> bool:
        return self._target == (other._target if isinstance(other, SafeView) else other)

    def __hash__(self) -> int:
        return hash(self._target)

    def __html__(self) -> str:
        return str(escape(str(self._target)))

    def __str__(self) -> str:
        return self.__html__()
