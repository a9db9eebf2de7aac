"""Which feeds the site has, which entries each holds, which pages name them, and /subscribe/.

Feeds: the whole site (stories and lectures), each narrative (its stories, as
its index lists them) and the lectures, each as RSS, Atom and JSON Feed with
the same entries; the podcast (lectures with a recording); the lecture
calendar; and an OPML list of all feeds. Pure data and text: the MkDocs
adapter only writes what this module describes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from site_plugins import urls
from site_plugins.content.schema import Entry, Lecture
from site_plugins.content.vocabulary import Vocabulary
from site_plugins.outputs.feeds import FILES, ICS_MIME, MIMES, Channel
from site_plugins.outputs.seo import SiteInfo

CALENDAR_PATH = urls.CALENDAR
OPML_PATH = urls.OPML
ALL_FORMATS = ("rss", "atom", "json")
_NARRATIVE_PAGE = re.compile(r"^narratives/([a-z0-9-]+)/(?:page/\d+/)?$")
_FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed", "podcast": "播客 RSS"}


@dataclass(frozen=True)
class FeedSet:
    """One feed in its formats: `site`, `narrative:<key>`, `lectures` or `podcast`."""

    key: str
    path: str  # site folder of the files: "", "narratives/<key>/" or "lectures/"
    channel: Channel
    formats: tuple[str, ...]

    def holds(self, entry: Entry) -> bool:
        """Whether the entry belongs in this feed (before the date filter and the limit)."""
        if self.key == "site":
            return True
        if self.key == "lectures":
            return entry.kind == "lecture"
        if self.key == "podcast":  # an episode must have something to play: the published recording
            return isinstance(entry, Lecture) and entry.audio is not None
        # A narrative's feed mirrors its index page, which lists stories.
        return entry.kind == "story" and self.key.removeprefix("narrative:") in entry.tags

    def file(self, fmt: str) -> str:
        """Site path of the feed file, e.g. narratives/volunteer/atom.xml."""
        return self.path + FILES[fmt]


def feed_sets(site: SiteInfo, vocab: Vocabulary, logo: str | None = None, icon: str | None = None,
              rights: str = "") -> list[FeedSet]:
    """Every feed of the site: whole site first, then each narrative, the lectures, the podcast."""

    def channel(title: str, description: str, path: str) -> Channel:
        return Channel(title=title, description=description or title, home=site.absolute(path),
                       folder=site.absolute(path), publisher=site.publisher,
                       categories_url=site.absolute(urls.NARRATIVES), logo=logo, icon=icon, rights=rights)

    sets = [FeedSet("site", "", channel(site.name, site.description, ""), ALL_FORMATS)]
    for n in vocab.narratives:
        sets.append(FeedSet(f"narrative:{n.key}", n.url, channel(f"{site.name} · {n.label}", n.description, n.url),
                            ALL_FORMATS))
    lectures = channel(f"{site.name} · 讲座", f"{site.name}的讲座预告与讲座记录。", urls.LECTURES)
    sets.append(FeedSet("lectures", urls.LECTURES, lectures, ALL_FORMATS))
    recordings = channel(f"{site.name} · 讲座录音", f"{site.name}的讲座录音，附文字稿。", urls.LECTURES)
    sets.append(FeedSet("podcast", urls.LECTURES, recordings, ("podcast",)))
    return sets


def _links(feed: FeedSet) -> list[dict[str, str]]:
    return [{"mime": MIMES[fmt], "title": f"{feed.channel.title}（{_FORMAT_NAMES[fmt]}）",
             "href": feed.channel.url(fmt)} for fmt in feed.formats]


def alternates(page_url: str, entry: Entry | None, sets: Iterable[FeedSet], site: SiteInfo,
               calendar_name: str = "讲座日历") -> list[dict[str, str]]:
    """The <link rel="alternate"> of a page, most specific first (readers often take the first).

    Narrative indexes (and their later pages) and stories name their narratives'
    feeds; lecture pages and /lectures/ name the lectures feed and the calendar;
    every page names the site feed.
    """
    by_key = {s.key: s for s in sets}
    keys: list[str] = []
    match = _NARRATIVE_PAGE.match(page_url)
    if match:
        keys.append(f"narrative:{match[1]}")
    if entry is not None and entry.kind == "story":
        keys += [f"narrative:{tag}" for tag in entry.tags]
    lectures = (entry is not None and entry.kind == "lecture") or page_url.startswith(urls.LECTURES)
    if lectures:
        keys += ["lectures", "podcast"]
    links: list[dict[str, str]] = []
    for key in [*keys, "site"]:
        if key in by_key and not any(link["href"] == by_key[key].channel.url(by_key[key].formats[0]) for link in links):
            links += _links(by_key[key])
    if lectures:
        links.append({"mime": ICS_MIME, "title": calendar_name, "href": site.absolute(CALENDAR_PATH)})
    return links


def _feed_lines(feed: FeedSet) -> list[str]:
    return [f"- {_FORMAT_NAMES[fmt]}：<{feed.channel.url(fmt)}>" for fmt in feed.formats]


def webcal(url: str) -> str:
    """The webcal:// form of a calendar URL: phones and Outlook open it as a subscription."""
    return "webcal://" + url.split("://", 1)[1]


def subscribe_markdown(site: SiteInfo, sets: Iterable[FeedSet], limit: int, reminder: str = "") -> str:
    """The Markdown of /subscribe/: every feed, the podcast, the calendar and the OPML list (Chinese).

    `reminder` says how long before a lecture the calendar files remind, e.g. "1 天"; "" for none.
    """
    sets = list(sets)
    by_key = {s.key: s for s in sets}
    calendar = site.absolute(CALENDAR_PATH)
    return "\n".join([
        *_intro(site), *_site_feed(by_key["site"]), *_narrative_feeds(sets), *_lecture_feed(by_key["lectures"]),
        *_podcast(by_key["podcast"].channel.url("podcast")), *_calendar(calendar, reminder),
        *_calendar_apps(calendar), *_readers(site, limit),
    ])


def _intro(site: SiteInfo) -> list[str]:
    """Front matter, title, what subscribing is for, and the OPML file of every feed."""
    return [
        "---", "title: 订阅", "---", "",
        "# 订阅",
        "",
        f"不用常来查看，也能第一时间读到{site.name}的新故事、收到讲座预告。"
        "把下面的网址复制到 RSS 阅读器、播客应用或日历里即可；每个网址都可以单独订阅。",
        "",
        "## 一次订阅全部",
        "",
        f"[下载全部订阅源的 OPML 文件]({site.absolute(OPML_PATH)})：在阅读器中选择“导入 OPML”，"
        "一次添加本页列出的所有订阅源，之后可以删去不需要的。",
        "",
    ]


def _site_feed(feed: FeedSet) -> list[str]:
    return ["## 全站订阅", "", "全部新故事和讲座，最新的在前。", "", *_feed_lines(feed), ""]


def _narrative_feeds(sets: Iterable[FeedSet]) -> list[str]:
    """One section per narrative: its label, description and feeds."""
    out = ["## 按专题订阅", "", "只关心某一个专题？订阅该专题，只收到它的新故事。", ""]
    for feed in sets:
        if feed.key.startswith("narrative:"):
            label = feed.channel.title.split(" · ", 1)[-1]
            # narratives.yml text enters Markdown, where raw HTML would run: entities are read as text
            out += [f"### {html.escape(label)}", "", html.escape(feed.channel.description), "", *_feed_lines(feed), ""]
    return out


def _lecture_feed(feed: FeedSet) -> list[str]:
    return ["## 讲座", "", "讲座预告和讲座记录。预告在发出当天进入订阅源，日期就是预告的日期。", "",
            *_feed_lines(feed), ""]


def _podcast(podcast: str) -> list[str]:
    """The podcast feed and how to add it to a podcast app."""
    return [
        "## 播客：讲座录音",
        "",
        "有录音的讲座，附文字稿（听不清或不方便听时可以读）。录音都是 MP3，各种播客应用都能播放。",
        "",
        f"- 播客 RSS：<{podcast}>",
        "",
        "在播客应用（如 Apple 播客、Pocket Casts、AntennaPod）中选择“通过网址添加节目”或“添加 RSS”，"
        f"粘贴 <{podcast}>。",
        "",
    ]


def _calendar(calendar: str, reminder: str) -> list[str]:
    """The lecture calendar: its address, the webcal:// link and a single lecture's file."""
    return [
        "## 讲座日历",
        "",
        "把讲座日程加入手机或电脑日历：订阅后，新讲座、时间变更和取消都会自动同步（各日历应用刷新频率不同，"
        "通常几小时到一天）。"
        + (f"每场讲座开始前 {reminder} 会提醒您。" if reminder else ""),
        "",
        f"- 日历网址：<{calendar}>",
        f"- 一键订阅（苹果设备、Outlook 桌面版）：[{webcal(calendar)}]({webcal(calendar)})",
        "- 只要某一场：打开该讲座的页面，点“加入日历”，只把这一场加入日历；讲座取消后再点一次，日历里的这一场会标为已取消。",
        "",
    ]


def _calendar_apps(calendar: str) -> list[str]:
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
        f"粘贴日历网址即可；没有的话，可在手机浏览器中打开 <{calendar}>，下载后用“日历”打开并导入。"
        "导入是一次性的，之后的新讲座不会自动出现，请隔一段时间重新导入。",
        "",
    ]


def _readers(site: SiteInfo, limit: int) -> list[str]:
    """How to subscribe in the common feed readers, and what the formats and the entry limit mean."""
    return [
        "## 如何用 RSS 阅读器订阅",
        "",
        f"大多数阅读器只需要本站首页的网址 <{site.url}>，就能自动找到订阅源；"
        "在专题页或大讲堂页面添加，会自动找到该专题或讲座的订阅源。也可以直接粘贴上面的订阅网址。"
        "在浏览器里打开订阅网址，会看到一页说明和最新的内容。",
        "",
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
