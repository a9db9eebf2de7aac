"""Every feed of the site as one OPML 2.0 file, so a reader imports them all at once."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from site_plugins.outputs.feeds.subscribe import FeedSet
from site_plugins.outputs.pages.seo import SiteInfo


def _outline(parent: etree._Element, feed: FeedSet, text: str) -> None:
    fmt = "podcast" if "podcast" in feed.formats else "rss"
    etree.SubElement(parent, "outline", type="rss", text=text, title=feed.channel.title,
                     xmlUrl=feed.channel.url(fmt), htmlUrl=feed.channel.home,
                     description=feed.channel.description, language="zh-CN")


def opml(site: SiteInfo, sets: Iterable[FeedSet]) -> bytes:
    """OPML of one RSS feed per feed set (RSS is what every reader imports); narratives grouped."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = f"{site.name} · 全部订阅源"
    etree.SubElement(head, "ownerName").text = site.publisher
    body = etree.SubElement(root, "body")
    group = None
    for feed in sets:
        if feed.key.startswith("narrative:"):
            if group is None:
                group = etree.SubElement(body, "outline", text="专题", title="专题")
            _outline(group, feed, feed.channel.title.split(" · ", 1)[-1])
        else:
            names = {"site": "全站", "lectures": "讲座", "podcast": "讲座录音（播客）"}
            _outline(body, feed, names.get(feed.key, feed.channel.title))
    return etree.tostring(root, pretty_print=True, encoding="UTF-8", xml_declaration=True)
