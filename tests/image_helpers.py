"""Helpers for the image and card tests: phone-like test photos and a metadata scanner."""

from __future__ import annotations

import io
import struct
from pathlib import Path

from PIL import Image, ImageCms, PngImagePlugin

RED = (220, 20, 30)
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Phone"/></rdf:RDF></x:xmpmeta>')
# Metadata blocks by container: JPEG APPn/COM markers, PNG chunks, WebP RIFF chunks.
JPEG_ALLOWED = {"APP0"}  # the JFIF header: a version and a pixel density, nothing about the photo
PNG_METADATA = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"iCCP", b"tIME"}
WEBP_METADATA = {b"EXIF", b"XMP ", b"ICCP"}


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: maker, orientation and the GPS position of the photo."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone 12"
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (37.0, 52.0, 12.5), 3: "E", 4: (112.0, 33.0, 7.25)})
    return exif


def photo(width: int, height: int, *, marked: bool = True, alpha: bool = False) -> Image.Image:
    """A picture with a gradient and a red block in its stored top-left corner."""
    base = Image.merge("RGB", [
        Image.linear_gradient("L").resize((width, height)),
        Image.linear_gradient("L").rotate(90).resize((width, height)),
        Image.new("L", (width, height), 120),
    ])
    if marked:
        base.paste(RED, (0, 0, max(2, width // 5), max(2, height // 5)))
    if alpha:
        mask = Image.new("L", (width, height), 255)
        mask.paste(0, (width // 2, height // 2, width, height))
        base.putalpha(mask)
    return base


def save_phone_photo(path: Path, width: int = 800, height: int = 600, orientation: int = 1,
                     fmt: str = "JPEG", alpha: bool = False) -> Path:
    """Write a photo carrying EXIF with GPS, an ICC profile, XMP and a comment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = photo(width, height, alpha=alpha)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = exif_with_gps(orientation)
    if fmt == "JPEG":
        image.save(path, "JPEG", quality=90, exif=exif, icc_profile=icc, comment=b"taken at home", xmp=XMP)
    elif fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "taken at home")
        info.add_itxt("XML:com.adobe.xmp", XMP.decode())
        image.save(path, "PNG", exif=exif, icc_profile=icc, pnginfo=info)
    else:
        image.save(path, fmt, exif=exif, icc_profile=icc, xmp=XMP)
    return path


def metadata_blocks(data: bytes) -> list[str]:
    """Names of every metadata block in a JPEG, PNG or WebP file (empty list: none)."""
    if data[:2] == b"\xff\xd8":
        return _jpeg_blocks(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return _png_blocks(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_blocks(data)
    raise AssertionError(f"not a JPEG, PNG or WebP file: {data[:12]!r}")


def _jpeg_blocks(data: bytes) -> list[str]:
    found, pos = [], 2
    while pos < len(data):
        assert data[pos] == 0xFF, f"bad JPEG marker at {pos}"
        marker = data[pos + 1]
        if marker == 0xD9:
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if 0xE0 <= marker <= 0xEF:
            name = f"APP{marker - 0xE0}"
            if name not in JPEG_ALLOWED or data[pos + 4:pos + 9] != b"JFIF\x00":
                found.append(name)
        elif marker == 0xFE:
            found.append("COM")
        if marker == 0xDA:  # start of scan: entropy-coded data follows, no more headers
            break
        pos += 2 + length
    return found


def _png_blocks(data: bytes) -> list[str]:
    found, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind in PNG_METADATA:
            found.append(kind.decode())
        pos += 12 + length
    return found


def _webp_blocks(data: bytes) -> list[str]:
    found, pos = [], 12
    while pos + 8 <= len(data):
        kind, size = struct.unpack("<4sI", data[pos:pos + 8])
        if kind in WEBP_METADATA:
            found.append(kind.decode())
        pos += 8 + size + (size & 1)
    return found


def assert_clean(path: Path) -> None:
    """No metadata block, no GPS, no EXIF at all, as read by a parser and by Pillow."""
    data = path.read_bytes()
    assert metadata_blocks(data) == [], f"{path}: {metadata_blocks(data)}"
    assert b"Exif\x00\x00" not in data and b"ns.adobe.com/xap" not in data and b"taken at home" not in data, path
    with Image.open(io.BytesIO(data)) as image:
        assert len(image.getexif()) == 0, path
        assert not {"exif", "icc_profile", "xmp", "comment", "Comment"} & set(image.info), (path, image.info.keys())
