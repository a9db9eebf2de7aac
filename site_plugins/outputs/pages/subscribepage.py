"""The Markdown of /subscribe/: every feed, the podcast, the calendar and the OPML list (Chinese).

Browsers no longer show a feed as a page (XSLT is gone), so this page is where
a person subscribes: each address is printed as selectable text with a 复制网址
button, never as a link to the XML. Each section has a fixed anchor
(`urls.subscribe_section`) that the site's feed links lead to. The one-click
calendar link (webcal:) and the file downloads are marked `HIDE`: WeChat's
browser opens neither, and there the page says so at the top (`ONLY`).
Addresses are written as HTML blocks, so Markdown never turns one into a link.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from site_plugins import urls
from site_plugins.outputs.feeds.subscribe import CALENDAR_PATH, FORMAT_NAMES, OPML_PATH, FeedSet, webcal
from site_plugins.outputs.pages.seo import SiteInfo
from site_plugins.outputs.pages.wxbrowser import HIDE, copyable, subscribe_notice


def anchor(key: str) -> str:
    """The id of a section of the page (the fragment of `urls.subscribe_section`)."""
    return urls.subscribe_section(key).split("#", 1)[1]


def addresses(rows: Iterable[tuple[str, str, str]]) -> list[str]:
    """An HTML block: one line per (label, address, what the copy button copies)."""
    items = [f'<li><span class="rc-addresses__label">{html.escape(label)}：</span>{copyable(url, what)}</li>'
             for label, url, what in rows]
    return ['<ul class="rc-addresses">', *items, "</ul>", ""]


def _feed_rows(feed: FeedSet, name: str) -> list[str]:
    return addresses((FORMAT_NAMES[fmt], feed.channel.url(fmt), f"{name} {FORMAT_NAMES[fmt]}")
                     for fmt in feed.formats)


def subscribe_markdown(site: SiteInfo, sets: Iterable[FeedSet], limit: int, reminder: str = "") -> str:
    """The whole page. `reminder` says how long before a lecture the calendar files remind, e.g. "1 天"; "" for none."""
    sets = list(sets)
    by_key = {s.key: s for s in sets}
    calendar = site.absolute(CALENDAR_PATH)
    return "\n".join([
        *_intro(site), *_site_feed(by_key["site"]), *_narrative_feeds(sets), *_lecture_feed(by_key["lectures"]),
        *_podcast(by_key["podcast"]), *_calendar(calendar, reminder), *_calendar_apps(),
        *_readers(site, limit),
    ])


def _intro(site: SiteInfo) -> list[str]:
    """Front matter, title, what subscribing is for, and the OPML file of every feed."""
    opml = site.absolute(OPML_PATH)
    return [
        "---", "title: 订阅", "---", "",
        "# 订阅",
        "",
        subscribe_notice(),
        "",
        f"不用常来查看，也能第一时间读到{site.name}的新故事、收到讲座预告。"
        "把下面的网址复制到 RSS 阅读器、播客应用或日历里即可；每个网址都可以单独订阅。",
        "",
        f"## 一次订阅全部 {{#{anchor('opml')}}}",
        "",
        "在阅读器中选择“导入 OPML”，粘贴这个网址（或导入下载的文件），一次添加本页列出的所有订阅源，之后可以删去不需要的。",
        "",
        *addresses([("OPML", opml, "全部订阅源的 OPML 文件")]),
        f'<p class="{HIDE}"><a href="{html.escape(opml)}" download="feeds.opml">下载全部订阅源的 OPML 文件</a></p>',
        "",
    ]


def _site_feed(feed: FeedSet) -> list[str]:
    return [f"## 全站订阅 {{#{anchor(feed.key)}}}", "", "全部新故事和讲座，最新的在前。", "",
            *_feed_rows(feed, "全站")]


def _narrative_feeds(sets: Iterable[FeedSet]) -> list[str]:
    """One section per narrative: its label, description and feeds."""
    out = ["## 按专题订阅", "", "只关心某一个专题？订阅该专题，只收到它的新故事。", ""]
    for feed in sets:
        if feed.key.startswith("narrative:"):
            label = feed.channel.title.split(" · ", 1)[-1]
            # narratives.yml text enters Markdown, where raw HTML would run: entities are read as text
            out += [f"### {html.escape(label)} {{#{anchor(feed.key)}}}", "", html.escape(feed.channel.description), "",
                    *_feed_rows(feed, label)]
    return out


def _lecture_feed(feed: FeedSet) -> list[str]:
    return [f"## 讲座 {{#{anchor(feed.key)}}}", "", "讲座预告和讲座记录。预告在发出当天进入订阅源，日期就是预告的日期。", "",
            *_feed_rows(feed, "讲座")]


def _podcast(feed: FeedSet) -> list[str]:
    """The podcast feed and how to add it to a podcast app."""
    return [
        f"## 播客：讲座录音 {{#{anchor(feed.key)}}}",
        "",
        "有录音的讲座，附文字稿（听不清或不方便听时可以读）。录音都是 MP3，各种播客应用都能播放。",
        "",
        *_feed_rows(feed, "讲座录音"),
        "在播客应用（如 Apple 播客、Pocket Casts、AntennaPod）中选择“通过网址添加节目”或“添加 RSS”，粘贴上面的播客网址。",
        "",
    ]


def _calendar(calendar: str, reminder: str) -> list[str]:
    """The lecture calendar: its address, the webcal:// link and the file, and a single lecture's file."""
    link = html.escape(webcal(calendar))
    return [
        f"## 讲座日历 {{#{anchor('calendar')}}}",
        "",
        "把讲座日程加入手机或电脑日历：订阅后，新讲座、时间变更和取消都会自动同步（各日历应用刷新频率不同，"
        "通常几小时到一天）。"
        + (f"每场讲座开始前 {reminder} 会提醒您。" if reminder else ""),
        "",
        *addresses([("日历网址", calendar, "讲座日历")]),
        f'<ul class="{HIDE}">',
        f'<li>一键订阅（苹果设备、Outlook 桌面版）：<a href="{link}">{link}</a></li>',
        f'<li>一次性导入：<a href="{html.escape(calendar)}" download="calendar.ics">下载讲座日历</a></li>',
        "</ul>",
        "",
        "只要某一场：打开该讲座的页面，点“加入日历”，只把这一场加入日历；讲座取消后再点一次，日历里的这一场会标为已取消。",
        "",
    ]


def _calendar_apps() -> list[str]:
    """Step by step, for the calendar apps readers in China use."""
    return [
        "### 如何导入日历",
        "",
        "- **iPhone / iPad**：打开“设置 → 日历 → 账户 → 添加账户 → 其他 → 添加已订阅的日历”，粘贴日历网址。"
        "也可以在 Safari 中直接点上面的“一键订阅”链接。",
        "- **Mac**：打开“日历”应用，选择菜单“文件 → 新建日历订阅”，粘贴日历网址。",
        "- **Outlook**：网页版或新版 Outlook 中选择“添加日历 → 从 Web 订阅”，粘贴日历网址；"
        "桌面版可选择“添加日历 → 从 Internet”。",
        "- **Google 日历**：在电脑上打开 Google 日历，点左侧“其他日历”旁的“+”，选择“通过网址添加”，粘贴日历网址；"
        "同步后，安卓手机上的 Google 日历也会显示。",
        "- **其他手机日历**（华为、小米、OPPO、vivo 等自带日历）：如果日历应用有“订阅日历”或“添加网络日历”，"
        "粘贴日历网址即可；没有的话，可在手机浏览器中点上面的“下载讲座日历”，再用“日历”打开并导入。"
        "导入是一次性的，之后的新讲座不会自动出现，请隔一段时间重新导入。",
        "",
    ]


def _readers(site: SiteInfo, limit: int) -> list[str]:
    """How to subscribe in the common feed readers, and what the formats and the entry limit mean."""
    return [
        "## 如何用 RSS 阅读器订阅",
        "",
        "大多数阅读器只需要本站首页的网址，就能自动找到订阅源；"
        "在专题页或大讲堂页面添加，会自动找到该专题或讲座的订阅源。也可以直接粘贴上面的订阅网址。"
        "订阅网址是给阅读器用的：在浏览器里打开，只会看到代码。",
        "",
        *addresses([("首页网址", site.url, "本站首页")]),
        "- **Inoreader**（网页和手机）：点“添加订阅”（加号），粘贴网址，点“订阅”。",
        "- **Feedly**（网页和手机）：点“Follow Websites”或“添加内容”，粘贴网址，选择“Follow”。",
        "- **NetNewsWire**（Mac、iPhone）：菜单“文件 → 新建订阅”（或点“+”），粘贴网址。",
        "- **Thunderbird**：选择“新建 → 订阅源账户”建立账户后，在该账户上“管理订阅”，粘贴网址后点“添加”。",
        "- **手机上的其他 RSS 阅读器**：在应用中找“添加订阅”“添加 RSS 源”或“+”，粘贴网址即可。"
        "订阅源里是文章全文和图片，可以直接在阅读器中阅读。",
        "",
        "格式说明：RSS 和 Atom 几乎所有阅读器都支持，任选其一；JSON Feed 供支持它的新式阅读器使用，三者内容相同。"
        f"每个订阅源包含最新的 {limit} 条内容；每条内容有永久编号，文章改了标题也不会让您重复收到。",
        "",
    ]
