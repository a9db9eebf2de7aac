<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows an RSS 2.0 or Atom feed of the site as a Chinese page when someone opens it in a browser:
     what a feed is, the address to copy into a reader, the newest entries. Feed readers ignore it. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
    exclude-result-prefixes="atom itunes">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="home" select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>
  <xsl:variable name="self" select="/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href"/>
  <xsl:variable name="podcast" select="boolean(/rss/channel/itunes:owner)"/>
  <!-- The build writes the site's /subscribe/ address here. -->
  <xsl:variable name="subscribe" select="'@SUBSCRIBE@'"/>

  <xsl:template match="/">
    <html lang="zh-CN">
      <head>
        <meta charset="UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title><xsl:value-of select="$title"/> · 订阅源</title>
        <style>
          body { font: 18px/1.7 system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
                 margin: 0; color: #1f1f1f; background: #fff; }
          main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
          h1 { font-size: 1.6rem; line-height: 1.35; margin: 0.5rem 0 1rem; }
          h2 { font-size: 1.25rem; margin: 2rem 0 0.75rem; }
          .about { background: #fdf1f1; border-left: 4px solid #b71c1c; padding: 0.75rem 1rem; }
          .copy { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0; }
          .copy input { flex: 1 1 18rem; min-width: 0; font: inherit; font-size: 16px; padding: 0.45rem 0.6rem;
                        border: 1px solid #767676; border-radius: 4px; }
          .copy button { font: inherit; font-size: 16px; padding: 0.45rem 1rem; border: 0; border-radius: 4px;
                         background: #b71c1c; color: #fff; cursor: pointer; }
          a { color: #a31515; }
          ol { padding-left: 1.25rem; }
          li { margin: 0.6rem 0; }
          .date { color: #555; font-size: 0.9em; margin-left: 0.5rem; white-space: nowrap; }
        </style>
      </head>
      <body>
        <main>
          <p><a href="{$home}">← 返回 <xsl:value-of select="$title"/></a></p>
          <h1>这是“<xsl:value-of select="$title"/>”的订阅源</h1>
          <p class="about">
            订阅源（RSS / Atom）是给阅读器用的网址：
            <xsl:choose>
              <xsl:when test="$podcast">把它添加到播客应用里，新的讲座录音会自动出现，可以随时收听。</xsl:when>
              <xsl:otherwise>把它添加到 RSS 阅读器里，网站有新内容时会自动送到阅读器中，不用常来查看。</xsl:otherwise>
            </xsl:choose>
            您现在看到的是它在浏览器里的样子。
          </p>
          <h2>如何订阅</h2>
          <p>复制下面的网址，在阅读器<xsl:if test="$podcast">或播客应用</xsl:if>中选择“添加订阅”（或“通过网址添加”），粘贴即可。</p>
          <div class="copy">
            <input id="rc-feed-url" type="text" readonly="readonly" value="{$self}" aria-label="订阅网址"
                   onfocus="this.select()"/>
            <button id="rc-copy" type="button">复制网址</button>
          </div>
          <p><a href="{$subscribe}">更多订阅方式</a>（按专题订阅、讲座日历、一次导入全部订阅源）</p>
          <h2>最新内容</h2>
          <ol>
            <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
          </ol>
        </main>
        <script>
          document.getElementById("rc-copy").addEventListener("click", function () {
            var field = document.getElementById("rc-feed-url"), button = this;
            field.select();
            var done = function () { button.textContent = "已复制"; };
            if (navigator.clipboard) { navigator.clipboard.writeText(field.value).then(done, function () {}); }
            else if (document.execCommand("copy")) { done(); }
          });
        </script>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <a href="{link}"><xsl:value-of select="title"/></a>
      <span class="date"><xsl:call-template name="rfc822">
        <xsl:with-param name="date" select="pubDate"/>
      </xsl:call-template></span>
    </li>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
      <span class="date"><xsl:call-template name="iso">
        <xsl:with-param name="date" select="atom:published"/>
      </xsl:call-template></span>
    </li>
  </xsl:template>

  <!-- "Sat, 12 Dec 2026 09:30:00 +0800" -> 2026年12月12日 -->
  <xsl:template name="rfc822">
    <xsl:param name="date"/>
    <xsl:variable name="rest" select="substring-after($date, ', ')"/>
    <xsl:variable name="day" select="substring-before($rest, ' ')"/>
    <xsl:variable name="month" select="substring(substring-after($rest, ' '), 1, 3)"/>
    <xsl:variable name="year" select="substring(substring-after(substring-after($rest, ' '), ' '), 1, 4)"/>
    <xsl:value-of select="concat($year, '年',
        string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', $month)) div 3 + 1, '月',
        number($day), '日')"/>
  </xsl:template>

  <!-- "2026-12-12T09:30:00+08:00" -> 2026年12月12日 -->
  <xsl:template name="iso">
    <xsl:param name="date"/>
    <xsl:value-of select="concat(substring($date, 1, 4), '年', number(substring($date, 6, 2)), '月',
        number(substring($date, 9, 2)), '日')"/>
  </xsl:template>
</xsl:stylesheet>
