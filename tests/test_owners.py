"""Each rule has one owner in the core (issue 26), read from the source: no module keeps a copy of
a rule another module owns. Addresses are urls.py's (relative ones too), where front matter ends
is content/frontmatter.py's, the hidden-file rule content/tree.py's, the image formats
content/schema.py's. The JavaScript copies are run against their owners instead
(test_cms_rules.py, test_search.py)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from site_plugins import urls

pytestmark = pytest.mark.unit

PACKAGE = Path(__file__).resolve().parent.parent / "site_plugins"
# The first segment of every address urls.py builds in a folder of its own.
AREAS = sorted({path.split("/")[0] for path in urls.GENERATED_TOP if "." not in path} | set(urls.FOLDERS.values()))
AREA_PATH = re.compile(rf"^\^?/?(?:{'|'.join(AREAS)})/")
IMAGE_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|webp)", re.I)
TEXT_CALLS = {"startswith", "endswith", "split", "partition", "find", "index", "strip"}


def constants(tree: ast.AST) -> Iterator[tuple[ast.AST, ast.Constant]]:
    """(parent, constant) of every str or bytes constant of a module but its docstrings."""
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            if isinstance(child, ast.Constant) and isinstance(child.value, str | bytes) and id(child) not in docs:
                yield parent, child


def _method(node: ast.AST, names: set[str]) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names


def addresses(tree: ast.AST) -> list[int]:
    """Lines of a site path written out ("stories/", "^/pagefind/"): urls.py builds them."""
    return [c.lineno for _, c in constants(tree) if isinstance(c.value, str) and AREA_PATH.search(c.value)]


def relative_paths(tree: ast.AST) -> list[int]:
    """Lines computing a relative URL or content path: urls.relative(target, page) does."""
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "relpath" and ast.unparse(node.value) == "posixpath"]


def fences(tree: ast.AST) -> list[int]:
    """Lines looking for front matter's fence: content/frontmatter.split does (FENCE writes one)."""
    found = []
    for parent, const in constants(tree):
        text = const.value.decode("latin-1") if isinstance(const.value, bytes) else const.value
        listed = isinstance(parent, ast.Tuple | ast.Set) and all(  # ("---", "..."): the closing lines
            isinstance(e, ast.Constant) and str(e.value).strip() in ("---", "...") for e in parent.elts)
        if text.strip() in ("---", "...") and (isinstance(parent, ast.Compare) or _method(parent, TEXT_CALLS) or listed):
            found.append(const.lineno)
    return found


def hidden_names(tree: ast.AST) -> list[int]:
    """Lines deciding that a dot-name is hidden: content/audit.hidden does."""
    return [c.lineno for parent, c in constants(tree) if c.value == "." and _method(parent, {"startswith"})]


def image_formats(tree: ast.AST) -> list[int]:
    """Lines listing image suffixes (two or more; one may name a single format): content/schema.py does."""
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Tuple | ast.List | ast.Set)
            and sum(isinstance(e, ast.Constant) and isinstance(e.value, str) and bool(IMAGE_SUFFIX.fullmatch(e.value))
                    for e in node.elts) >= 2]


# rule -> (the scan, the modules that own it, or keep a rule of their own for a stated reason)
RULES: dict[str, tuple[Callable[[ast.AST], list[int]], set[str]]] = {
    "addresses": (addresses, {"urls.py", "settings.py"}),  # settings: the logo option's default
    "relative paths": (relative_paths, {"urls.py"}),
    "front matter": (fences, {"content/frontmatter.py"}),
    # deploy/hosting: the server's own rule, which serves /.well-known/ (MkDocs publishes no dot-name)
    "hidden files": (hidden_names, {"content/tree.py", "deploy/hosting.py"}),
    "image formats": (image_formats, {"content/schema.py", "content/suggest.py"}),  # suggest: one format's spellings
}
# What each module held before it called the owner: each scan must find it.
OLD_COPIES = {
    "addresses": ['T2S_DIR = "search/t2s"', 'return f"{lecture.url}{lecture.slug}.ics" if x else "/narratives/"',
                  'Rule(r"^/pagefind/", BRIEF)'],
    "relative paths": ['posixpath.relpath(target, posixpath.dirname(page) or ".")'],
    "front matter": ['raw[len(bom):end].rstrip(b"\\r").strip() != b"---"', 'head.split("\\n---", 1)[0]',
                     'lines[i].strip() in ("---", "...")'],
    "hidden files": ['any(p.startswith(".") for p in rel.split("/"))'],
    "image formats": ['RASTER = (".png", ".jpg", ".jpeg", ".gif")', 'name.lower().endswith((".jpg", ".png"))'],
}


@pytest.mark.parametrize("rule", list(RULES))
def test_no_module_keeps_a_copy_of_a_rule_it_does_not_own(rule: str) -> None:
    scan, owners = RULES[rule]
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name not in owners:
            found += [f"site_plugins/{name}:{line}" for line in scan(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == [], f"{rule}: call the owner ({', '.join(sorted(owners))})"


@pytest.mark.parametrize("rule", list(RULES))
def test_each_scan_finds_the_copy_it_was_written_for(rule: str) -> None:
    scan = RULES[rule][0]
    for old in OLD_COPIES[rule]:
        assert scan(ast.parse(old)), old


def test_the_areas_come_from_urls() -> None:
    assert {"stories", "lectures", "narratives", "search", "pagefind", "admin", "media", "posters"} <= set(AREAS)
