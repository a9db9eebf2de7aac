"""The image pipeline: privacy, orientation, sizes, cache, markup, errors, and the built sites."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from site_plugins.media.cache import Cache, image_key, process_images
from site_plugins.media.images import ImageError, ImageSettings, Rendition, Variant, render, target_widths
from site_plugins.media.picture import parse_attrs, resolve, rewrite
from site_plugins.media.pool import Runner

from .image_helpers import RED, assert_clean, photo, save_phone_photo
from .test_site import EDITION

pytestmark = pytest.mark.build

SETTINGS = ImageSettings()


def near(pixel: tuple[int, ...], color: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, color, strict=False))


# --- the core: one source image -> variants -------------------------------------------------

@pytest.mark.parametrize("fmt,ext", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_every_output_loses_gps_exif_xmp_icc_and_comments(tmp_path: Path, fmt: str, ext: str) -> None:
    source = save_phone_photo(tmp_path / f"home.{ext}", 1200, 900, orientation=1, fmt=fmt)
    with Image.open(source) as original:  # the test photo really carries what must go
        assert original.getexif().get_ifd(0x8825)[2] == (37.0, 52.0, 12.5)
        assert "icc_profile" in original.info
    rendition, files = render(source, SETTINGS)
    assert {v.role for v in rendition.variants} == {"webp", "fallback", "thumb", "thumb2x"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        assert_clean(tmp_path / name)


@pytest.mark.parametrize(("width", "height", "double"), [(1200, 900, True), (960, 640, True), (959, 640, False),
                                                          (600, 400, False)])
def test_thumbnails_are_webp_at_1x_and_2x_when_the_source_allows(tmp_path: Path, width: int, height: int,
                                                                 double: bool) -> None:
    rendition, files = render(save_phone_photo(tmp_path / "p.jpg", width, height), SETTINGS)
    one, two = rendition.thumb, rendition.thumb2x
    assert one.name.endswith("-thumb.webp") and (one.width, one.height) == (480, 320)
    with Image.open(io.BytesIO(files[one.name])) as image:
        assert image.format == "WEBP" and image.size == (480, 320)
    if double:
        assert two is not None and two.name.endswith("-thumb@2x.webp") and (two.width, two.height) == (960, 640)
        with Image.open(io.BytesIO(files[two.name])) as image:
            assert image.format == "WEBP" and image.size == (960, 640)
    else:
        assert two is None and not any("@2x" in name for name in files)


def test_transparent_png_keeps_alpha_in_webp_and_png(tmp_path: Path) -> None:
    source = save_phone_photo(tmp_path / "logo.png", 600, 400, fmt="PNG", alpha=True)
    rendition, files = render(source, SETTINGS)
    assert rendition.main.name.endswith(".png") and rendition.thumb.name.endswith(".webp")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        assert_clean(tmp_path / name)
        with Image.open(io.BytesIO(data)) as image:
            assert image.mode == "RGBA" and image.getpixel((image.width - 1, image.height - 1))[3] == 0


def test_orientation_6_comes_out_upright(tmp_path: Path) -> None:
    # Stored 800x600 with the red mark top-left; flag 6 means "turn 90° clockwise to view".
    source = save_phone_photo(tmp_path / "turned.jpg", 800, 600, orientation=6)
    rendition, files = render(source, SETTINGS)
    assert (rendition.width, rendition.height) == (600, 800)
    for variant in rendition.variants:
        with Image.open(io.BytesIO(files[variant.name])) as image:
            rgb = image.convert("RGB")
            assert (image.width, image.height) == (variant.width, variant.height)
            if variant.role != "thumb":  # the thumbnail is a centre crop
                assert image.height > image.width
                assert near(rgb.getpixel((image.width - 3, 2)), RED), variant.name  # top-right now
                assert not near(rgb.getpixel((2, 2)), RED), variant.name


def test_unturned_photo_keeps_its_mark_top_left(tmp_path: Path) -> None:
    rendition, files = render(save_phone_photo(tmp_path / "plain.jpg", 800, 600), SETTINGS)
    with Image.open(io.BytesIO(files[rendition.main.name])) as image:
        assert image.size == (800, 600) and near(image.convert("RGB").getpixel((2, 2)), RED)


@pytest.mark.parametrize("width,height", [(300, 200), (1000, 750), (2400, 1800), (4000, 3000), (1600, 1000)])
def test_variants_are_never_wider_than_the_source(tmp_path: Path, width: int, height: int) -> None:
    source = save_phone_photo(tmp_path / "p.jpg", width, height)
    rendition, files = render(source, SETTINGS)
    for variant in rendition.variants:
        assert variant.width <= width and variant.height <= height
        with Image.open(io.BytesIO(files[variant.name])) as image:
            assert image.size == (variant.width, variant.height)
    assert rendition.main.width == min(width, max(SETTINGS.widths))
    assert [v.width for v in rendition.role("webp")] == [v.width for v in rendition.role("fallback")]
    # Aspect ratio kept within rounding.
    for variant in rendition.role("webp"):
        assert abs(variant.height - variant.width * height / width) <= 1


def test_target_widths() -> None:
    assert target_widths(4000, (480, 960, 1600)) == [480, 960, 1600]
    assert target_widths(1200, (480, 960, 1600)) == [480, 960, 1200]
    assert target_widths(1000, (480, 960, 1600)) == [480, 1000]  # no 960 next to 1000
    assert target_widths(300, (480, 960, 1600)) == [300]


def test_same_input_same_bytes(tmp_path: Path) -> None:
    source = save_phone_photo(tmp_path / "a.jpg", 2000, 1500, orientation=6)
    first = render(source, SETTINGS)
    second = render(source, SETTINGS)
    assert first == second


ERROR_CASES = {
    "unreadable": lambda p: p.write_bytes(b"this is not an image at all" * 100),
    "truncated": lambda p: p.write_bytes(_jpeg_bytes()[: len(_jpeg_bytes()) // 2]),
    "unsupported": lambda p: photo(64, 48).save(p, "BMP"),
    "bomb": lambda p: Image.new("1", (9000, 9000)).save(p, "PNG"),
    "corrupt": lambda p: p.write_bytes(_png_with_bad_data()),
}


def _jpeg_bytes() -> bytes:
    out = io.BytesIO()
    photo(1200, 900).save(out, "JPEG", quality=90)
    return out.getvalue()


def _png_with_bad_data() -> bytes:
    out = io.BytesIO()
    photo(300, 200).save(out, "PNG")
    data = bytearray(out.getvalue())
    start = data.index(b"IDAT") + 4
    data[start:start + 64] = b"\xff" * 64  # the zlib stream of the pixels is broken
    return bytes(data)


@pytest.mark.parametrize("kind", sorted(ERROR_CASES))
def test_bad_sources_raise_a_clear_error(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "bad.jpg"
    ERROR_CASES[kind](path)
    with pytest.raises(ImageError) as caught:
        render(path, SETTINGS)
    assert caught.value.kind == kind
    assert "bad.jpg" in caught.value.message and re.search(r"[\u4e00-\u9fff]", caught.value.message)


@pytest.mark.parametrize("kind", ["truncated", "corrupt"])
def test_bad_sources_stay_bad_after_weasyprint_is_imported(tmp_path: Path, kind: str) -> None:
    """WeasyPrint (the lecture notices) sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import; a
    build that rendered a notice in its own process then published a cut-short photo as if whole."""
    import weasyprint  # noqa: F401  (its import is what flips the flag)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES, "WeasyPrint no longer sets the flag: this test proves nothing now"
    path = tmp_path / "bad.jpg"
    ERROR_CASES[kind](path)
    with pytest.raises(ImageError) as caught:
        render(path, SETTINGS)
    assert caught.value.kind == kind
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # restored for whoever set it


def test_bomb_limit_is_a_setting(tmp_path: Path) -> None:
    source = save_phone_photo(tmp_path / "big.jpg", 2000, 1500)
    with pytest.raises(ImageError) as caught:
        render(source, ImageSettings(max_pixels=1_000_000))
    assert caught.value.kind == "bomb" and "2000×1500" in caught.value.message


# --- cache and parallel work -----------------------------------------------------------------

def test_cache_encodes_once_and_keys_by_content_and_settings(tmp_path: Path) -> None:
    sources = [save_phone_photo(tmp_path / f"src/{i}.jpg", 900 + 50 * i, 600) for i in range(3)]
    cache = Cache(tmp_path / "cache")
    keys = [(image_key(p, SETTINGS), p) for p in sources]
    with Runner(2) as runner:  # a real process pool
        cold = process_images(cache, keys, SETTINGS, runner)
        warm = process_images(cache, keys, SETTINGS, runner)
    assert (cold.encoded, cold.cached, warm.encoded, warm.cached) == (3, 0, 0, 3)
    assert cold.results == warm.results
    # The pool made the same bytes as an inline run would.
    for key, source in keys:
        rendition, files = render(source, SETTINGS)
        assert Rendition.from_json(cold.results[key]) == rendition
        for name, data in files.items():
            assert cache.path(key, name).read_bytes() == data
    # Nothing half-written: only complete entries, no temporary folders.
    assert not [p for p in (tmp_path / "cache").rglob(".*")]
    # Renaming a file keeps its key; changing its bytes or the settings changes it.
    renamed = sources[0].rename(tmp_path / "src/renamed.jpg")
    assert image_key(renamed, SETTINGS) == keys[0][0]
    assert image_key(renamed, ImageSettings(webp_quality=60)) != keys[0][0]
    save_phone_photo(renamed, 901, 600)
    assert image_key(renamed, SETTINGS) != keys[0][0]


def test_a_program_that_runs_the_exit_handlers_itself_still_exits() -> None:
    # scripts/bench's timed build runs atexit's handlers before it reads its children's CPU time.
    # multiprocessing's handler joins every child, and a pool kept for the process left its
    # workers waiting for work: the bench hung there.
    program = ("import atexit\nfrom site_plugins.media.pool import Runner\n"
               "assert Runner(2).map(abs, [(-1,), (-2,)]) == [1, 2]\n"
               "atexit._run_exitfuncs()\nprint('exited')\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).parents[1])
    assert (done.returncode, done.stdout) == (0, "exited\n"), done.stderr


def test_cache_store_is_atomic_and_survives_a_lost_race(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.store("ab" * 32, {"x.jpg": b"1"}, {"n": 1})
    cache.store("ab" * 32, {"x.jpg": b"1"}, {"n": 1})  # a second worker finishing the same key
    assert cache.load("ab" * 32) == {"n": 1}
    assert sorted(p.name for p in cache.folder("ab" * 32).iterdir()) == ["manifest.json", "x.jpg"]
    assert cache.load("cd" * 32) is None


# --- markup ------------------------------------------------------------------------------------

RENDITION = Rendition(2000, 1500, (
    Variant("p-480.webp", 480, 360, "webp"), Variant("p-480.jpg", 480, 360, "fallback"),
    Variant("p-1600.webp", 1600, 1200, "webp"), Variant("p-1600.jpg", 1600, 1200, "fallback"),
    Variant("p-thumb.webp", 480, 320, "thumb"),
))


def test_rewrite_turns_markdown_images_into_pictures() -> None:
    page = ('<p><img alt="志愿者 &amp; 老人" src="../../media/k/p-1600.jpg" title="现场" class="wide" /></p>'
            '<p><img alt="第二张" src="../../media/k/p-1600.jpg"></p><img alt="外部" src="https://x.org/a.png">')

    def lookup(path: str) -> tuple[Rendition, object] | None:
        return (RENDITION, lambda name: f"../../media/k/{name}") if path == "media/k/p-1600.jpg" else None

    out = rewrite(page, "stories/s/", lookup, "100vw")
    soup = BeautifulSoup(out, "html.parser")
    pictures = soup.find_all("picture")
    assert len(pictures) == 2
    first, second = (p.find("img") for p in pictures)
    assert first["alt"] == "志愿者 & 老人" and first["title"] == "现场" and first["class"] == ["wide"]
    assert first["width"] == "1600" and first["height"] == "1200" and first["sizes"] == "100vw"
    assert "loading" not in first.attrs  # the first image of the page is not lazy
    assert second["loading"] == "lazy" and second["decoding"] == "async"
    source = pictures[0].find("source")
    assert source["type"] == "image/webp"
    assert source["srcset"] == "../../media/k/p-480.webp 480w, ../../media/k/p-1600.webp 1600w"
    assert first["srcset"] == "../../media/k/p-480.jpg 480w, ../../media/k/p-1600.jpg 1600w"
    assert soup.find("img", alt="外部")["src"] == "https://x.org/a.png"  # not ours: left alone


def test_resolve_and_parse_attrs() -> None:
    assert resolve("../../media/k/a%20b.jpg", "stories/s/") == "media/k/a b.jpg"
    assert resolve("media/a.jpg", "") == "media/a.jpg"
    assert resolve("../media/a.jpg", "about/") == "media/a.jpg"
    assert parse_attrs('<img alt=\'a "b"\' src=x.jpg hidden />') == {"alt": 'a "b"', "src": "x.jpg", "hidden": ""}


# --- real builds -------------------------------------------------------------------------------

def _article_images(soup: BeautifulSoup) -> list:
    return soup.select("article.rc-article img")


def image_site(make_site):  # type: ignore[no-untyped-def]
    s = make_site()
    save_phone_photo(s.content / "stories/home/cover.jpg", 2400, 1800, orientation=6)
    save_phone_photo(s.content / "stories/home/garden.png", 900, 600, fmt="PNG", alpha=True)
    save_phone_photo(s.content / "images/shared.webp", 1300, 900, fmt="WEBP")
    save_phone_photo(s.content / "images/unused.jpg", 500, 400)
    s.write("stories/home/index.md", """
        ---
        id: 3b9f0d7e-5a1c-4c57-9a51-0a9c5d3e1f01
        title: 在家门口的红十字养老服务
        date: 2026-03-05
        tags: [养老服务]
        cover: cover.jpg
        cover_alt: 志愿者陪老人在院子里晒太阳
        consent: 肖像使用同意书 SXRC-2026-014
        ---

        第一段。

        ![老人在花园里浇水](garden.png)

        第二段。

        ![社区活动室](../../images/shared.webp "活动室")
        """)
    s.story("plain", title="没有图片的故事", extra="")
    s.lecture("talk", title="心肺复苏与AED入门", extra="cover: ../../images/shared.webp\ncover_alt: 活动室\n")
    return s


def test_built_site_publishes_only_clean_variants(make_site) -> None:  # type: ignore[no-untyped-def]
    s = image_site(lambda: make_site(shared_cache=False))  # counts what a cold cache encodes
    first = s.build()
    assert re.search(r"rc-images: 3 images \(3 encoded, 0 cached\), 3 social images \(3 drawn\)", first.stderr)
    images = [p for p in s.site.rglob("*") if p.suffix in (".jpg", ".jpeg", ".png", ".webp", ".gif")
              and not p.relative_to(s.site).as_posix().startswith("assets/")]
    assert images
    for path in images:
        rel = path.relative_to(s.site).as_posix()
        assert rel.startswith(("media/", "cards/", "posters/")), f"an original was copied: {rel}"
        assert_clean(path)
    assert not (s.site / "images").exists()  # unused.jpg is not published at all

    soup = BeautifulSoup((s.site / "stories/home/index.html").read_text(encoding="utf-8"), "html.parser")
    imgs = _article_images(soup)
    assert [i["alt"] for i in imgs] == ["志愿者陪老人在院子里晒太阳", "老人在花园里浇水", "社区活动室"]
    for img in imgs:
        assert img["width"] and img["height"] and img.find_parent("picture") is not None
        webp = img.find_parent("picture").find("source", type="image/webp")
        assert all(part.split()[0].endswith(".webp") for part in webp["srcset"].split(", "))
        for url in [img["src"], *(u.split()[0] for u in img["srcset"].split(", ") + webp["srcset"].split(", "))]:
            assert (s.site / "stories/home" / url).resolve().is_file(), url
    cover, garden, shared = imgs
    assert cover.find_parent("figure", class_="rc-cover") is not None and cover["fetchpriority"] == "high"
    assert (cover["width"], cover["height"]) == ("1600", "2133")  # 2400x1800 turned upright, then 1600 wide
    assert "loading" not in cover.attrs and "loading" not in garden.attrs and shared["loading"] == "lazy"
    assert garden["src"].endswith(".png") and shared["title"] == "活动室"

    for page in ("stories/home/", "stories/plain/", "lectures/talk/"):
        soup = BeautifulSoup((s.site / page / "index.html").read_text(encoding="utf-8"), "html.parser")
        og = soup.find("meta", property="og:image")["content"]
        assert og.startswith("https://lecture.example.org/cards/")
        with Image.open(s.site / og.removeprefix("https://lecture.example.org/")) as card:
            assert card.size == (1200, 630)
        assert soup.find("meta", property="og:image:width")["content"] == "1200"
        assert soup.find("meta", attrs={"name": "twitter:image"})["content"] == og

    # Listings show the card thumbnail of the cover.
    listing = BeautifulSoup((s.site / "narratives/eldercare/index.html").read_text(encoding="utf-8"), "html.parser")
    thumb = listing.select_one(".rc-card img")
    assert thumb["src"].endswith("-thumb.webp") and (s.site / "narratives/eldercare" / thumb["src"]).resolve().is_file()
    one, two = (part.split() for part in thumb["srcset"].split(", "))
    assert one == [thumb["src"], "1x"] and two[0].endswith("-thumb@2x.webp") and two[1] == "2x"
    assert (s.site / "narratives/eldercare" / two[0]).resolve().is_file()

    # A warm rebuild encodes nothing and publishes the same bytes.
    before = {p: p.read_bytes() for p in images}
    second = s.build()
    assert re.search(r"rc-images: 3 images \(0 encoded, 3 cached\), 3 social images \(0 drawn\)", second.stderr)
    assert {p: p.read_bytes() for p in images} == before


@pytest.fixture(scope="module")
def good_site(make_shared_site):  # type: ignore[no-untyped-def]
    """A site with one good photo, built once; each bad-image case breaks a copy of it."""
    s = make_shared_site()
    save_phone_photo(s.content / "stories/ok/cover.jpg", 800, 600)
    s.story("ok/index", title="好故事", extra="slug: ok\ncover: cover.jpg\ncover_alt: 一张好照片\n")
    s.build()
    return s


BAD_IMAGES = {
    "corrupt": (lambda p: p.write_bytes(_png_with_bad_data()), "图片“photo.jpg”已损坏"),
    "not-an-image": (lambda p: p.write_bytes(b"<html>not a photo</html>" * 50), "无法识别图片“photo.jpg”"),
    "truncated": (lambda p: p.write_bytes(_jpeg_bytes()[:6000]), "不完整"),
    "unsupported": (lambda p: photo(64, 48).save(p, "TIFF"), "TIFF 格式"),
    "bomb": (lambda p: Image.new("1", (9000, 9000)).save(p, "PNG"), "尺寸过大（9000×9000"),
    "symlink": (lambda p: p.symlink_to(save_phone_photo(p.parent.parent.parent.parent / "outside.jpg")),
                "content/ 之外"),
}


@pytest.mark.parametrize("case", sorted(BAD_IMAGES))
def test_bad_image_fails_the_build_naming_the_page_and_keeps_the_site(good_site, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    s = good_site.copy(tmp_path / "site")
    before = {p.relative_to(s.site): p.read_bytes() for p in s.site.rglob("*") if p.is_file()}
    make, message = BAD_IMAGES[case]
    (s.content / "stories/bad").mkdir(parents=True)
    make(s.content / "stories/bad/photo.jpg")
    s.story("bad/index", title="坏图片", extra="slug: bad\n", body="第一段。\n\n![现场照片](photo.jpg)")
    result = s.build(check=False)
    assert result.returncode != 0
    assert re.search(r"stories/bad/index\.md:\d+: image: .*" + re.escape(message), result.stderr), result.stderr
    after = {p.relative_to(s.site): p.read_bytes() for p in s.site.rglob("*") if p.is_file()}
    assert after == before  # nothing half-written, the previous site intact


@pytest.mark.parametrize("src,message", [
    ("missing.jpg", "找不到文件“missing.jpg”"),
    ("../../../outside.jpg", "跑到了 content/ 之外"),
    ("photo.heic", "不是支持的格式"),
])
def test_bad_image_paths_fail_the_build(make_site, src: str, message: str) -> None:  # type: ignore[no-untyped-def]
    s = make_site()
    save_phone_photo(s.root / "outside.jpg")
    (s.content / "stories/p").mkdir(parents=True)
    (s.content / "stories/p/photo.heic").write_bytes(b"\x00\x00\x00\x18ftypheic")
    s.story("p/index", title="路径", extra="slug: p\n", body=f"第一段。\n\n![照片]({src})")
    result = s.build(check=False)
    assert result.returncode != 0
    assert re.search(r"stories/p/index\.md:\d+: image: .*" + re.escape(message), result.stderr), result.stderr


def test_images_on_other_pages_need_alt_and_are_processed(make_site) -> None:  # type: ignore[no-untyped-def]
    s = make_site()
    save_phone_photo(s.content / "images/team.jpg", 1000, 700)
    s.write("about.md", "# 关于\n\n![志愿者合影](images/team.jpg)\n")
    s.build()
    soup = BeautifulSoup((s.site / "about/index.html").read_text(encoding="utf-8"), "html.parser")
    img = soup.find("picture").find("img")
    assert img["alt"] == "志愿者合影" and img["width"] == "1000"
    s.write("about.md", "# 关于\n\n![](images/team.jpg)\n")
    result = s.build(check=False)
    assert result.returncode != 0 and "about.md:3: image: 图片“images/team.jpg”没有替代文本" in result.stderr


@pytest.mark.parametrize("consent,ok", [("", False), ("consent: true\n", False), ("consent: false\n", False),
                                        ("consent: {cover.jpg: SXRC-1}\n", True), ("consent: SXRC-2026-1\n", True)])
def test_eldercare_photos_need_a_consent_record(make_site, consent: str, ok: bool) -> None:  # type: ignore[no-untyped-def]
    s = make_site()
    save_phone_photo(s.content / "stories/old/cover.jpg", 800, 600)
    s.story("old/index", title="养老院里", tags="[养老服务]",
            extra=f"slug: old\ncover: cover.jpg\ncover_alt: 老人在读报\n{consent}")
    result = s.build(check=False)
    assert (result.returncode == 0) == ok, result.stderr
    if not ok:
        assert re.search(r"stories/old/index\.md:\d+: consent: ", result.stderr)


# --- the sample site ---------------------------------------------------------------------------

def test_sample_story_images_are_responsive_and_every_entry_has_a_card(sample_site: Path) -> None:
    for story in EDITION.stories:
        soup = BeautifulSoup((sample_site / story.url / "index.html").read_text(encoding="utf-8"), "html.parser")
        imgs = _article_images(soup)
        assert len(imgs) == (1 if story.cover else 0) + len(story.images), story.source
        for img in imgs:
            assert img.get("alt") and img.get("width") and img.get("height"), (story.source, img)
            webp = img.find_parent("picture").find("source", type="image/webp")
            assert ".webp " in webp["srcset"], story.source
    for entry in [*EDITION.stories, *EDITION.lectures]:
        soup = BeautifulSoup((sample_site / entry.url / "index.html").read_text(encoding="utf-8"), "html.parser")
        og = soup.find("meta", property="og:image")["content"].removeprefix("https://lecture.example.org/")
        with Image.open(sample_site / og) as card:
            assert card.size == (1200, 630), entry.source


def test_no_image_of_the_sample_site_carries_metadata(sample_site: Path) -> None:
    published = [p for p in sample_site.rglob("*") if p.suffix in (".jpg", ".png", ".webp")
                 and not p.relative_to(sample_site).as_posix().startswith("assets/")]
    assert len(published) > 50
    for path in published:
        assert_clean(path)
