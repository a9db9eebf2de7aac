"""The process-wide cache of compiled templates (adapters/templates.py): reused, never stale."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment

from site_plugins.adapters.templates import TEMPLATE_CACHE, use_template_cache

pytestmark = pytest.mark.unit


def _env(sources: dict[str, str], compiles: list[str]) -> Environment:
    env = Environment(loader=DictLoader(sources))
    use_template_cache(env)
    compile_ = env.compile

    def counting(source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        compiles.append(name)
        return compile_(source, name, filename, raw, defer_init)

    env.compile = counting  # type: ignore[method-assign]
    return env


def test_a_new_environment_reuses_the_compiled_template_until_its_source_changes() -> None:
    TEMPLATE_CACHE.clear()
    sources = {"page.html": "<p>{{ title }}</p>"}
    compiles: list[str] = []
    assert _env(sources, compiles).get_template("page.html").render(title="甲") == "<p>甲</p>"
    assert compiles == ["page.html"]
    # A second build's environment: the cached code, not a second compile.
    assert _env(sources, compiles).get_template("page.html").render(title="乙") == "<p>乙</p>"
    assert compiles == ["page.html"]
    # An edited template (mkdocs serve while a developer edits assets/overrides/) compiles anew.
    sources["page.html"] = "<h1>{{ title }}</h1>"
    assert _env(sources, compiles).get_template("page.html").render(title="丙") == "<h1>丙</h1>"
    assert compiles == ["page.html", "page.html"]


def test_an_environment_that_escapes_differently_does_not_share_code() -> None:
    TEMPLATE_CACHE.clear()
    sources = {"t.html": "{{ text }}"}
    plain = Environment(loader=DictLoader(sources))
    escaping = Environment(loader=DictLoader(sources), autoescape=True)
    use_template_cache(plain)
    use_template_cache(escaping)
    assert plain.get_template("t.html").render(text="<b>") == "<b>"
    assert escaping.get_template("t.html").render(text="<b>") == "&lt;b&gt;"
