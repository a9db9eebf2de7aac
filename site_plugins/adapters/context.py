"""The `rc` entry of MkDocs' template context, where every adapter puts its template data."""

from __future__ import annotations

from typing import Any, cast

from mkdocs.utils.templates import TemplateContext


def rc(context: TemplateContext) -> dict[str, Any]:
    """The page's `rc` data (created empty); MkDocs' typed context has no key of ours."""
    return cast(dict[str, Any], context).setdefault("rc", {})
