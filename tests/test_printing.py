"""The print rule written with the site's own address (site_plugins/outputs/pages/printing.py)."""

from __future__ import annotations

import re

import pytest

from site_plugins.outputs.pages.printing import css_string, external_link_rules

pytestmark = pytest.mark.unit


def test_css_string_escapes_what_could_end_the_string_or_the_style_element() -> None:
    assert css_string("https://lecture.example.org/") == '"https://lecture.example.org/"'
    escaped = css_string('a"b\\c\n</style><script>&\'')
    assert escaped.startswith('"') and escaped.endswith('"')
    inner = escaped[1:-1]
    assert not re.search(r'[<>&"\'\n]', inner), inner
    assert "\\22 " in inner and "\\5c " in inner and "\\a " in inner and "\\3c " in inner


def test_rules_print_other_sites_addresses_and_not_ours() -> None:
    rules = str(external_link_rules("https://lecture.example.org"))
    assert 'content:" (" attr(href) ")"' in rules
    assert '[href^="https://lecture.example.org/"]::after{content:none}' in rules
    # the exclusion comes after the general rule and is more specific, so it wins
    assert rules.index("content:none") > rules.index("attr(href)")


def test_a_hostile_site_url_cannot_leave_the_style_element() -> None:
    rules = str(external_link_rules('https://x.example/"]{}</style><script>alert(1)</script>'))
    assert "</style" not in rules and "<script" not in rules
    outside_strings = re.sub(r'"[^"]*"', '""', rules)
    assert outside_strings.count("{") == outside_strings.count("}") == 2, outside_strings


def test_a_site_url_that_is_no_web_address_adds_no_exclusion() -> None:
    assert "content:none" not in str(external_link_rules(""))
