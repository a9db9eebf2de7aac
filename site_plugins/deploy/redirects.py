"""Redirects from earlier addresses (`aliases:`) to where a story or lecture lives now.

Three forms of one list, all in the built site of every build (`outputs`, written by the build's one writer):

- a small Chinese HTML page at each old address (meta refresh, canonical link,
  a visible link), which works on any static host, GitHub Pages included;
- `.hosting/nginx-redirects.conf`: one `location = … { return 301 …; }` per old
  address, included by the server block `scripts/nginx-conf` writes;
- `.hosting/redirects.json`: old object key -> new address, from which
  `scripts/publish` sets each redirect object's website redirect metadata.
"""

from __future__ import annotations

import html
import json
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass

from site_plugins import urls
from site_plugins.content.schema import Entry

HOSTING_DIR = ".hosting"
NGINX_FILE = f"{HOSTING_DIR}/nginx-redirects.conf"
JSON_FILE = f"{HOSTING_DIR}/redirects.json"


@dataclass(frozen=True, order=True)
class Redirect:
    """One old address (site path without leading slash) and the page it now points at."""

    old: str  # stories/old-name/ or news/2019/old.html
    new: str  # stories/new-name/
    title: str

    @property
    def file(self) -> str:
        """The file that stands at the old address in the static site."""
        return self.old + "index.html" if self.old.endswith("/") else self.old

    def request_paths(self) -> list[str]:
        """Every request path a reader may use for the old address."""
        if not self.old.endswith("/"):
            return ["/" + self.old]
        return ["/" + self.old, "/" + self.old.rstrip("/"), "/" + self.file]


def redirects(entries: Iterable[Entry]) -> list[Redirect]:
    """The redirects of the published entries, sorted by old address."""
    return sorted(Redirect(alias, entry.url, entry.title) for entry in entries for alias in entry.aliases)


def page(redirect: Redirect, site_url: str, site_name: str, feeds: Sequence[Mapping[str, str]] = ()) -> str:
    """The HTML page left at the old address; `feeds` (mime, title, href) are named as on every page."""
    relative = urls.relative(redirect.new, redirect.file)
    absolute = site_url.rstrip("/") + "/" + redirect.new
    title, href, canonical = html.escape(redirect.title), html.escape(relative), html.escape(absolute)
    return (
        "<!doctype html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>本页已迁移：{title} · {html.escape(site_name)}</title>\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"robots\" content=\"noindex\">\n"
        f"<link rel=\"canonical\" href=\"{canonical}\">\n"
        + "".join(f"<link rel=\"alternate\" type=\"{html.escape(f['mime'])}\" title=\"{html.escape(f['title'])}\" "
                  f"href=\"{html.escape(f['href'])}\">\n" for f in feeds)
        + f"<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n"
        "</head>\n<body>\n"
        f"<p>本页已迁移到新的网址：<a href=\"{href}\">{title}</a></p>\n"
        "<p>如果没有自动跳转，请点击上面的链接，并更新您的书签。</p>\n"
        "</body>\n</html>\n"
    )


def nginx_locations(items: list[Redirect]) -> str:
    """Exact-match locations answering 301 (aliases hold no quote, backslash, `$` or `;`)."""
    lines = ["# Written by every build from aliases: in front matter (rc-hosting); do not edit.",
             "# Included by the server block of scripts/nginx-conf; reload nginx after a build."]
    for item in items:
        lines += [f'location = "{path}" {{ return 301 "/{item.new}"; }}' for path in item.request_paths()]
    return "\n".join(lines) + "\n"


def redirect_map(items: list[Redirect]) -> str:
    """JSON object: file at the old address -> new site path, for object storage."""
    return json.dumps({item.file: "/" + item.new for item in items}, ensure_ascii=False, indent=1,
                      sort_keys=True) + "\n"


def clashes(items: list[Redirect], taken: Container[str]) -> list[str]:
    """The redirect pages that would stand where the build already has a file (`taken`, site paths):
    a collision `content/aliases.py` did not foresee; none of them is written."""
    return [item.file for item in items if item.file in taken]


def outputs(items: list[Redirect], site_url: str, site_name: str,
            feeds: Sequence[Mapping[str, str]] = ()) -> dict[str, bytes]:
    """Site path -> bytes: the redirect pages and both lists (written by every build, empty or not)."""
    files = {item.file: page(item, site_url, site_name, feeds).encode("utf-8") for item in items}
    files[NGINX_FILE] = nginx_locations(items).encode("utf-8")
    files[JSON_FILE] = redirect_map(items).encode("utf-8")
    return files
