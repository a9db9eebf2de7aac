"""The serving table, precompression, redirect pages and the nginx text, without a server."""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

import pytest

from site_plugins.deploy import hosting, redirects
from site_plugins.deploy import stage as build
from site_plugins.deploy.gzipcache import GzipCache
from site_plugins.deploy.nginx import Server, server_block
from site_plugins.deploy.precompress import LEVEL, Precompressor, gzip_bytes
from site_plugins.pipeline.finish import compress_site
from site_plugins.pipeline.manifest import Manifest

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("path", "content_type", "cache"), [
    ("/", "text/html; charset=utf-8", hosting.BRIEF),
    ("/stories/x/index.html", "text/html; charset=utf-8", hosting.BRIEF),
    ("/feed.xml", "application/rss+xml; charset=utf-8", hosting.BRIEF),
    ("/narratives/donor/atom.xml", "application/atom+xml; charset=utf-8", hosting.BRIEF),
    ("/feed.json", "application/feed+json; charset=utf-8", hosting.BRIEF),
    ("/lectures/calendar.ics", "text/calendar; charset=utf-8", hosting.BRIEF),
    ("/sitemap.xml", "application/xml; charset=utf-8", hosting.BRIEF),
    ("/search/search_index.json", "application/json; charset=utf-8", hosting.BRIEF),
    ("/pagefind/pagefind-entry.json", "application/json; charset=utf-8", hosting.BRIEF),
    ("/pagefind/pagefind.js", "text/javascript; charset=utf-8", hosting.BRIEF),
    ("/pagefind/fragment/zh_1a2b3c4.pf_fragment", "application/octet-stream", hosting.IMMUTABLE),
    ("/media/0123456789abcdef/cover-960.webp", "image/webp", hosting.IMMUTABLE),
    ("/assets/javascripts/bundle.a5f9d56c.min.js", "text/javascript; charset=utf-8", hosting.IMMUTABLE),
    ("/assets/stylesheets/site.css", "text/css; charset=utf-8", hosting.ASSET),
    ("/cards/stories/x.jpg", "image/jpeg", hosting.ASSET),
    ("/lectures/x/recording.ogg", "audio/ogg", hosting.ASSET),
    ("/sitemap.xml.gz", "application/gzip", hosting.ASSET),
    ("/media/not-a-hash/x.webp", "image/webp", hosting.ASSET),
    ("/subscribe/feeds.opml", "text/x-opml; charset=utf-8", hosting.ASSET),
    ("/lectures/x/transcript.vtt", "text/vtt; charset=utf-8", hosting.ASSET),
])
def test_serving_table(path: str, content_type: str, cache: str) -> None:
    assert (hosting.content_type(path), hosting.cache_control(path)) == (content_type, cache)


def test_hidden_and_compressible() -> None:
    assert hosting.hidden("/.hosting/redirects.json") and not hosting.hidden("/.well-known/security.txt")
    assert not hosting.hidden("/stories/a.b/index.html")
    assert hosting.compressible("/index.html") and hosting.compressible("/lectures/calendar.ics")
    assert not hosting.compressible("/media/x/a.webp") and not hosting.compressible("/pagefind/x.pf_index")


def test_gzip_files_are_deterministic_and_complete(tmp_path: Path) -> None:
    def site(name: str) -> Path:
        root = tmp_path / name
        (root / "stories" / "x").mkdir(parents=True)
        (root / "stories" / "x" / "index.html").write_text("<p>志愿者</p>\n" * 400, encoding="utf-8")
        (root / "tiny.txt").write_text("a", encoding="utf-8")
        (root / "photo.webp").write_bytes(os.urandom(2000))
        (root / "sitemap.xml").write_text("<urlset/>" * 50, encoding="utf-8")
        (root / "sitemap.xml.gz").write_bytes(b"MkDocs' own")
        (root / ".hosting").mkdir()
        (root / ".hosting" / "redirects.json").write_text("{}" * 100, encoding="utf-8")
        return root

    first, second = site("a"), site("b")
    assert compress_site(first) == (1, 2)  # the page; tiny.txt is smaller plain
    os.utime(second / "stories" / "x" / "index.html", (0, 12345))  # file times must not matter
    compress_site(second, workers=1)
    packed = (first / "stories" / "x" / "index.html.gz").read_bytes()
    assert packed == (second / "stories" / "x" / "index.html.gz").read_bytes()
    assert gzip.decompress(packed) == (first / "stories" / "x" / "index.html").read_bytes()
    assert packed[3] == 0 and packed[4:8] == b"\0\0\0\0"  # no FNAME flag, mtime 0
    assert not (first / "tiny.txt.gz").exists() and not (first / "photo.webp.gz").exists()
    assert (first / "sitemap.xml.gz").read_bytes() == b"MkDocs' own"  # left as it was
    assert not (first / ".hosting" / "redirects.json.gz").exists()
    assert gzip_bytes(b"x" * 100) == gzip_bytes(b"x" * 100)


def test_pages_handed_over_while_rendering_match_the_files_written() -> None:
    text = "<p>志愿者</p>\n".encode() * 400
    written = {"a/index.html": text,
               "b/index.html": text + b"<p>later</p>" * 50,  # another plugin changed it after it was handed over
               "feed.xml": b"<rss/>" * 100}  # written after the last page
    packed: list[bytes] = []
    with Precompressor(workers=2) as pool:
        pool._pack = lambda data, pack=pool._pack: packed.append(data) or pack(data)  # type: ignore[method-assign]
        for path in ("a/index.html", "b/index.html", "c/index.html"):
            pool.add(path, text)  # as each page is rendered; c's page is never written
        made, seen = pool.finish({path: lambda data=data: data for path, data in written.items()})
    assert seen == 3 and set(made) == {"a/index.html.gz", "b/index.html.gz", "feed.xml.gz"}  # no stray c/.gz
    assert {path: gzip.decompress(data) for path, data in made.items()} == {f"{p}.gz": d for p, d in written.items()}
    assert made["a/index.html.gz"] == gzip_bytes(text)
    assert packed.count(text) == 3 and packed.count(written["b/index.html"]) == 1  # a's was not packed again


def test_pages_written_as_they_render_are_mended_if_a_page_changes_or_never_comes(tmp_path: Path) -> None:
    """With `deliver`, each page's .gz is written through the manifest as the page renders; at the end
    a page changed since gets its .gz again, and the .gz of a page never written is taken back."""
    text = "<p>志愿者</p>\n".encode() * 400
    changed = text + b"<p>later</p>" * 50
    manifest = Manifest()
    with Precompressor(workers=2, deliver=lambda path, data: manifest.put(tmp_path, path, "gz", data)) as pool:
        for path in ("a/index.html", "b/index.html", "c/index.html"):
            pool.add(path, text)
        for path, data in (("a/index.html", text), ("b/index.html", changed)):  # as MkDocs writes them
            (tmp_path / path).parent.mkdir(exist_ok=True)
            (tmp_path / path).write_bytes(data)
        fresh, gone = pool.pages({p: (tmp_path / p).read_bytes for p in ("a/index.html", "b/index.html")})
    assert set(fresh) == {"b/index.html.gz"} and gone == ["c/index.html.gz"]
    assert (tmp_path / "c" / "index.html.gz").is_file()  # written while the pages rendered
    for path, data in fresh.items():
        manifest.redo(path, "gz", data)
    for path in gone:
        manifest.withdraw(tmp_path, path, "gz")
    manifest.write(tmp_path)
    assert gzip.decompress((tmp_path / "a" / "index.html.gz").read_bytes()) == text
    assert gzip.decompress((tmp_path / "b" / "index.html.gz").read_bytes()) == changed
    assert not (tmp_path / "c" / "index.html.gz").exists() and manifest.by("gz") == ["a/index.html.gz", "b/index.html.gz"]


def test_gzip_cache_gives_the_same_bytes_and_checks_its_entries(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>养老服务</p>\n" * 300, encoding="utf-8")
    (site / "feed.xml").write_text("<rss>献血</rss>\n" * 300, encoding="utf-8")
    plain = tmp_path / "plain"
    shutil.copytree(site, plain)
    compress_site(plain, workers=1)  # no cache
    pack = tmp_path / "cache" / "entries.bin"

    def build() -> tuple[dict[str, bytes], GzipCache, int]:
        for gz in site.rglob("*.gz"):
            gz.unlink()
        cache = GzipCache(tmp_path / "cache", LEVEL)
        assert compress_site(site, cache=cache) == (2, 2)
        dropped = cache.save()
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.gz")}, cache, dropped

    cold, first, _ = build()
    assert first.hits == 0 and cold == {p.relative_to(plain).as_posix(): p.read_bytes() for p in plain.rglob("*.gz")}
    stamp = pack.stat().st_mtime_ns
    warm, again, dropped = build()
    assert warm == cold and again.hits == 2 and dropped == 0
    assert pack.stat().st_mtime_ns == stamp  # all from the cache: the file is not rewritten
    raw = bytearray(pack.read_bytes())
    raw[-30] ^= 0xFF  # damage the last entry: it is compressed again, the other one still serves
    pack.write_bytes(bytes(raw))
    damaged, third, _ = build()
    assert damaged == cold and third.hits == 1
    # The file keeps what the last build used: an edited page's old entry is dropped.
    (site / "feed.xml").write_text("<rss>救护</rss>\n" * 300, encoding="utf-8")
    edited, fourth, dropped = build()
    assert fourth.hits == 1 and dropped == 1 and edited["a/index.html.gz"] == cold["a/index.html.gz"]
    pack.write_bytes(pack.read_bytes()[:-5])  # cut short (a build killed while writing it)
    assert build()[1].hits == 1
    # An incremental build that took the other `.gz` from the last site (pipeline/finish.py `Previous`):
    # the entry it did not look up is kept, and the file is not rewritten.
    stamp = pack.stat().st_mtime_ns
    partial = GzipCache(tmp_path / "cache", LEVEL)
    assert partial.gzip((site / "a" / "index.html").read_bytes(), gzip_bytes) == cold["a/index.html.gz"]
    assert partial.save(keep_unused=True) == 0 and pack.stat().st_mtime_ns == stamp
    assert len(GzipCache(tmp_path / "cache", LEVEL)._stored) == 2


class _Entry:
    def __init__(self, title: str, url: str, aliases: tuple[str, ...]) -> None:
        self.title, self.url, self.aliases = title, url, aliases


def test_redirect_page_escapes_the_title_and_links_relatively() -> None:
    [item, other] = redirects.redirects([_Entry("<b>急救</b> & “四分钟”", "stories/new/",
                                                ("stories/old/", "news/2019/old.html"))])
    assert item.old == "news/2019/old.html" and other.file == "stories/old/index.html"
    page = redirects.page(other, "https://lecture.example.org/", "红十字大讲堂")
    assert '<meta http-equiv="refresh" content="0; url=../new/">' in page
    assert '<link rel="canonical" href="https://lecture.example.org/stories/new/">' in page
    assert '<a href="../new/">&lt;b&gt;急救&lt;/b&gt; &amp; “四分钟”</a>' in page
    assert "<b>" not in page and 'name="robots" content="noindex"' in page
    named = redirects.page(other, "https://lecture.example.org/", "站", [
        {"mime": "application/rss+xml", "title": "站 <RSS>", "href": "https://lecture.example.org/feed.xml"}])
    assert ('<link rel="alternate" type="application/rss+xml" title="站 &lt;RSS&gt;" '
            'href="https://lecture.example.org/feed.xml">') in named
    assert 'url=../../stories/new/"' in redirects.page(item, "https://lecture.example.org/", "站")
    conf = redirects.nginx_locations([item, other])
    assert 'location = "/stories/old" { return 301 "/stories/new/"; }' in conf
    assert 'location = "/stories/old/index.html" { return 301 "/stories/new/"; }' in conf
    assert 'location = "/news/2019/old.html" { return 301 "/stories/new/"; }' in conf
    assert '"news/2019/old.html": "/stories/new/"' in redirects.redirect_map([item, other])


def test_redirects_never_take_a_page_s_place() -> None:
    items = redirects.redirects([_Entry("新", "stories/new/", ("stories/old/",))])
    assert redirects.clashes(items, {"stories/old/index.html", "stories/new/index.html"}) == ["stories/old/index.html"]
    assert redirects.clashes(items, {"stories/new/index.html"}) == []
    files = redirects.outputs(items, "https://x.org/", "站")
    assert set(files) == {"stories/old/index.html", redirects.NGINX_FILE, redirects.JSON_FILE}
    assert b'url=../new/' in files["stories/old/index.html"]


def test_nginx_server_block_follows_the_table() -> None:
    text = server_block(Server(PurePosixPath("/srv/lecture/site"), "lecture.example.org", "80"))
    assert 'root "/srv/lecture/site";' in text
    assert 'include "/srv/lecture/site/.hosting/nginx-redirects.conf";' in text
    assert "gzip_static on;" in text and "error_page 404 /404.html;" in text
    positions = [text.index(f'location ~ "{rule.pattern}"') for rule in hosting.RULES]
    assert positions == sorted(positions)  # nginx tries regex locations in order, as hosting._rule does
    assert text.index('location ~ "/\\.(?!well-known/)"') < positions[0]
    for suffix, kind in hosting.TYPES.items():
        assert any(line.strip().startswith(kind + " ") and f" {suffix}" in line for line in text.splitlines())
    with pytest.raises(ValueError):
        server_block(Server(PurePosixPath("relative/site")))
    with pytest.raises(ValueError):
        server_block(Server(PurePosixPath('/srv/"; evil')))


def test_publishable_modes_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        staging = Path(tempfile.mkdtemp(dir=tmp_path))  # 0700, as scripts/build's staging folder
        (staging / "stories" / "x").mkdir(parents=True)
        (staging / "stories" / "x" / "index.html").write_text("页", encoding="utf-8")
        (staging / "feed.xml").write_text("<rss/>", encoding="utf-8")
        (staging / "feed.xml").chmod(0o755)  # an executable bit is no good either
    finally:
        os.umask(old)
    assert build.publishable_modes(staging) == 5
    modes = {p.relative_to(staging).as_posix(): p.stat().st_mode & 0o7777 for p in [staging, *staging.rglob("*")]}
    assert modes == {".": 0o755, "stories": 0o755, "stories/x": 0o755, "stories/x/index.html": 0o644,
                     "feed.xml": 0o644}
    assert build.publishable_modes(staging) == 0
