"""Debian's nginx serves the site with the shipped configuration (scripts/nginx-conf).

The sample site is built by scripts/build under umask 077 into a folder any
user may enter; nginx's workers run as `nobody` when the tests run as root, so
a page that is not world-readable would answer 403 here as it would for
www-data on a server. Every answer is read over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import gzip
import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from site_plugins.deploy.nginx import Server, server_block

from .conftest import REPO
from .test_scripts import run

pytestmark = pytest.mark.build

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
YEAR = "public, max-age=31536000, immutable"
FIVE_MINUTES = "public, max-age=300"
DAY = "public, max-age=86400"


@pytest.fixture(scope="module")
def built() -> Iterator[Path]:
    """The sample site from scripts/build with umask 077, in a world-traversable folder under /tmp."""
    root = Path(tempfile.mkdtemp(prefix="rc-nginx-"))
    root.chmod(0o755)
    site = root / "site"
    result = run("build", "-d", site, cwd=REPO, umask=0o077)
    assert result.returncode == 0, result.stdout + result.stderr
    yield site
    shutil.rmtree(root, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def nginx(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """nginx on 127.0.0.1 with a private prefix; yields (host, port)."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: scripts/test installs Debian's nginx package")
    prefix = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    (prefix / "site.conf").write_text(server_block(Server(PurePosixPath(built), "127.0.0.1", f"127.0.0.1:{port}")),
                                      encoding="utf-8")
    temp = "\n".join(f"  {name}_temp_path {prefix / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""  # a reader's server never runs as root
    (prefix / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'};\n"
        f"events {{ worker_connections 64; }}\nhttp {{\n  access_log off;\n{temp}\n"
        f"  include {prefix / 'site.conf'};\n}}\n", encoding="utf-8")
    log = (prefix / "stderr.log").open("wb")
    server = subprocess.Popen([NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(prefix / "nginx.conf"),
                               "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                errors = (prefix / "stderr.log").read_text() + (prefix / "error.log").read_text()
                pytest.fail(f"nginx did not start:\n{errors}")
            time.sleep(0.1)
    yield "127.0.0.1", port
    server.send_signal(signal.SIGQUIT)  # graceful stop of the master we started
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


def get(nginx: tuple[str, int], path: str, gzip_ok: bool = True) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(*nginx, timeout=30)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def first(site: Path, pattern: str) -> str:
    found = sorted(site.glob(pattern))
    assert found, f"no {pattern} in the built site"
    return "/" + found[0].relative_to(site).as_posix()


def test_every_kind_of_file_has_its_type_and_cache_lifetime(built: Path, nginx: tuple[str, int]) -> None:
    expected = [
        ("/", "text/html; charset=utf-8", FIVE_MINUTES),
        ("/stories/taiyuan-gongjiaozhan-jijiu/", "text/html; charset=utf-8", FIVE_MINUTES),
        ("/lectures/", "text/html; charset=utf-8", FIVE_MINUTES),
        ("/feed.xml", "application/rss+xml; charset=utf-8", FIVE_MINUTES),
        ("/atom.xml", "application/atom+xml; charset=utf-8", FIVE_MINUTES),
        ("/feed.json", "application/feed+json; charset=utf-8", FIVE_MINUTES),
        ("/narratives/volunteer/feed.xml", "application/rss+xml; charset=utf-8", FIVE_MINUTES),
        ("/lectures/atom.xml", "application/atom+xml; charset=utf-8", FIVE_MINUTES),
        ("/lectures/calendar.ics", "text/calendar; charset=utf-8", FIVE_MINUTES),
        ("/sitemap.xml", "application/xml; charset=utf-8", FIVE_MINUTES),
        (first(built, "media/*/*.webp"), "image/webp", YEAR),
        (first(built, "media/*/*.jpg"), "image/jpeg", YEAR),
        (first(built, "assets/stylesheets/main.*.min.css"), "text/css; charset=utf-8", YEAR),
        (first(built, "assets/javascripts/bundle.*.min.js"), "text/javascript; charset=utf-8", YEAR),
        ("/assets/stylesheets/site.css", "text/css; charset=utf-8", DAY),
        (first(built, "cards/stories/*.jpg"), "image/jpeg", DAY),
    ]
    # The search index: Material's, or Pagefind's entry file and a content-hashed chunk.
    if (built / "search" / "search_index.json").is_file():
        expected.append(("/search/search_index.json", "application/json; charset=utf-8", FIVE_MINUTES))
    if (built / "pagefind" / "pagefind-entry.json").is_file():
        expected += [("/pagefind/pagefind-entry.json", "application/json; charset=utf-8", FIVE_MINUTES),
                     (first(built, "pagefind/**/*.pf_fragment"), "application/octet-stream", YEAR)]
    assert any("search" in path or "pagefind" in path for path, _, _ in expected), "no search index was built"
    served = {}
    for path, _, _ in expected:
        status, headers, _body = get(nginx, path)
        assert status == 200, path
        served[path] = (headers["content-type"], headers["cache-control"])
    assert served == {path: (kind, cache) for path, kind, cache in expected}


def test_precompressed_files_are_served_by_gzip_static(built: Path, nginx: tuple[str, int]) -> None:
    for path, file in [("/", "index.html"), ("/feed.json", "feed.json"), ("/lectures/calendar.ics", "lectures/calendar.ics")]:
        status, headers, body = get(nginx, path)
        assert status == 200 and headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
        # The very bytes of the build's .gz (nginx's on-the-fly gzip is off), which decode to the page.
        assert body == (built / (file + ".gz")).read_bytes()
        assert gzip.decompress(body) == (built / file).read_bytes()
        status, headers, body = get(nginx, path, gzip_ok=False)
        assert status == 200 and "content-encoding" not in headers and body == (built / file).read_bytes()
    # Images are not compressed again.
    status, headers, _ = get(nginx, first(built, "media/*/*.webp"))
    assert status == 200 and "content-encoding" not in headers


def test_a_missing_page_gets_the_site_404_page(built: Path, nginx: tuple[str, int]) -> None:
    status, headers, body = get(nginx, "/stories/no-such-story/", gzip_ok=False)
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert body == (built / "404.html").read_bytes()
    # What the build keeps for the server is not published.
    assert get(nginx, "/.hosting/redirects.json")[0] == 404
    assert get(nginx, "/.hosting/nginx-redirects.conf")[0] == 404


def test_old_addresses_redirect_with_301(nginx: tuple[str, int]) -> None:
    new = "/stories/taiyuan-gongjiaozhan-jijiu/"
    for old in ("/stories/gongjiaozhan-sifenzhong/", "/stories/gongjiaozhan-sifenzhong",
                "/stories/gongjiaozhan-sifenzhong/index.html", "/news/2026/taiyuan-gongjiaozhan.html"):
        status, headers, _ = get(nginx, old)
        assert (status, headers.get("location")) == (301, new), old
    assert get(nginx, new)[0] == 200


def test_the_built_folder_is_readable_by_everyone(built: Path) -> None:
    """scripts/build under umask 077: folders 0755, files 0644 (item 1), the site/ folder included."""
    modes = {p.relative_to(built.parent).as_posix(): p.stat().st_mode & 0o7777
             for p in [built, *built.rglob("*")]}
    wrong = {path: oct(mode) for path, mode in modes.items()
             if mode != (0o755 if (built.parent / path).is_dir() else 0o644)}
    assert not wrong, f"{len(wrong)} of {len(modes)} paths have the wrong mode: {sorted(wrong.items())[:5]}"
