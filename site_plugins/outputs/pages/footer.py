"""The site's organiser, contact details and registration numbers, from mkdocs.yml `extra`.

A site hosted in mainland China shows its ICP 备案号, linked to the MIIT
register, and its 公安备案号 (public-security record), linked to that register
with the record's digits. The organiser (主办单位), contact address, phone,
e-mail and a donation link are optional too. The footer shows them, and the
printable lecture notice (media/notice.py) prints the organiser and the phone;
both read them here, where everything is checked once, with a Chinese message
naming the mkdocs.yml line.

    extra:
      organiser: 山西省红十字会              # at most 40 characters
      beian:
        icp: 晋ICP备2026000001号-1
        police: 晋公网安备14010502000001号
      contact:
        address: 山西省太原市……
        phone: 0351-1234567
        email: office@example.org
      donate: https://example.org/donate/   # or a page of this site: about/#donate
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from site_plugins.content.problems import Problem

ICP_REGISTER = "https://beian.miit.gov.cn/"
POLICE_REGISTER = "https://beian.mps.gov.cn/#/query/webSearch?code="
_ICP = re.compile(r"^\S{1,3}ICP[备证]\d{6,12}号(-\d{1,3})?$")
_POLICE = re.compile(r"^\S{1,3}公网安备\s*(\d{10,20})\s*号$")
_PHONE = re.compile(r"^\+?[\d\s()\-]{5,25}$")
ORGANISER_MAX = 40  # characters: two lines of the notice's contact panel hold it


@dataclass(frozen=True)
class Footer:
    icp: str = ""
    police: str = ""
    police_url: str = ""
    address: str = ""
    phone: str = ""
    phone_uri: str = ""  # tel:…
    email: str = ""
    donate: str = ""  # absolute https URL, or a site path (the template resolves it)
    organiser: str = ""  # 主办单位

    @property
    def empty(self) -> bool:
        return not any((self.icp, self.police, self.address, self.phone, self.email, self.donate, self.organiser))


def _line(config_text: str, key: str) -> int:
    """Line of `key:` in mkdocs.yml (1 if not found), for the message."""
    for number, line in enumerate(config_text.splitlines(), start=1):
        if re.match(rf"^\s*{re.escape(key)}\s*:", line):
            return number
    return 1


def footer_from_extra(extra: Mapping[str, object], config_text: str = "",
                      path: str = "mkdocs.yml") -> tuple[Footer, list[Problem]]:
    """The footer described by mkdocs.yml `extra`, and what is wrong with it."""
    problems: list[Problem] = []

    def report(key: str, field: str, message: str) -> None:
        problems.append(Problem(path, _line(config_text, key), field, message))

    def text(section: object, key: str, field: str) -> str:
        value = section.get(key) if isinstance(section, Mapping) else None
        if value is None:
            return ""
        if not isinstance(value, str | int) or isinstance(value, bool):
            report(key, field, f"{field} 应写成一行文字，现在是“{value}”。")
            return ""
        return str(value).strip()

    beian, contact = extra.get("beian") or {}, extra.get("contact") or {}
    for name, section in (("beian", beian), ("contact", contact)):
        if not isinstance(section, Mapping):
            report(name, f"extra.{name}", f"extra.{name} 应写成若干“名称: 值”，见 docs/NARRATIVES.md 的“页脚”一节。")
    icp = text(beian, "icp", "extra.beian.icp")
    if icp and not _ICP.match(icp):
        report("icp", "extra.beian.icp", f"ICP 备案号“{icp}”的格式不对，应与工信部备案系统中的一致，例如 晋ICP备2026000001号-1。")
        icp = ""
    police = text(beian, "police", "extra.beian.police")
    police_url = ""
    if police:
        match = _POLICE.match(police)
        if match is None:
            report("police", "extra.beian.police", f"公安备案号“{police}”的格式不对，例如 晋公网安备14010502000001号。")
            police = ""
        else:
            police_url = POLICE_REGISTER + match.group(1)
    phone = text(contact, "phone", "extra.contact.phone")
    phone_uri = ""
    if phone:
        if _PHONE.match(phone):
            phone_uri = "tel:" + re.sub(r"[^\d+]", "", phone)
        else:
            report("phone", "extra.contact.phone", f"电话“{phone}”只能包含数字、空格、+、- 和括号，例如 0351-1234567。")
            phone = ""
    email = text(contact, "email", "extra.contact.email")
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        report("email", "extra.contact.email", f"电子邮箱“{email}”的格式不对，例如 office@example.org。")
        email = ""
    donate = text(extra, "donate", "extra.donate")
    if donate:
        parts = urlsplit(donate)
        if parts.scheme not in ("https", "") or (not parts.scheme and (donate.startswith("/") or parts.netloc)):
            report("donate", "extra.donate", f"捐赠链接“{donate}”应是 https:// 开头的网址，或本站页面的相对地址（如 about/#donate）。")
            donate = ""
    address = text(contact, "address", "extra.contact.address")
    organiser = " ".join(text(extra, "organiser", "extra.organiser").split())
    if len(organiser) > ORGANISER_MAX:
        report("organiser", "extra.organiser", f"主办单位“{organiser}”有 {len(organiser)} 个字，太长了：请写 {ORGANISER_MAX} 个字以内的单位名称，例如 山西省红十字会。")
        organiser = ""
    return Footer(icp, police, police_url, address, phone, phone_uri, email, donate, organiser), problems


_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')


def strip_checkbox_autocomplete(html: str) -> str:
    """Drop `autocomplete="off"` from checkboxes (Material's drawer and search toggles).

    HTML allows autocomplete only on text-like inputs; Material sets it so that a
    browser does not restore a toggle's state on back. main.html resets the
    toggles to their markup state instead, before Material's script starts."""
    return _CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)
