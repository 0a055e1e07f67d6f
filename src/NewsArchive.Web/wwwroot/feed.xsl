<?xml version="1.0" encoding="utf-8"?>
<!-- A feed opened in a browser, as a page: its title, how to follow it, its entries. Every word on
     it comes from the feed (Site/Feeds.cs writes them in the feed's language); no script, no
     inline style, so the feed's own Content-Security-Policy allows all of it. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom" xmlns:na="urn:x-newsarchive:feed-page" exclude-result-prefixes="atom na">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/atom:feed">
    <html lang="{@xml:lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/></title>
        <link rel="stylesheet" href="css/site.css"/>
        <link rel="stylesheet" href="css/feed.css"/>
      </head>
      <body>
        <header class="site-header">
          <div class="bar"><a class="brand" href="{na:page/na:site/@href}"><xsl:value-of select="na:page/na:site"/></a></div>
        </header>
        <main id="main" class="feed-page">
          <h1><xsl:value-of select="atom:title"/></h1>
          <p class="feed-intro"><xsl:value-of select="na:page/na:intro"/></p>
          <p class="feed-address">
            <label for="feed-url"><xsl:value-of select="na:page/na:copy"/></label>
            <input id="feed-url" type="url" readonly="readonly" value="{atom:link[@rel='self']/@href}"/>
          </p>
          <p><a href="{na:page/na:feeds/@href}"><xsl:value-of select="na:page/na:feeds"/></a></p>
          <ol class="article-list">
            <xsl:for-each select="atom:entry">
              <li class="article-item">
                <h2 class="article-title"><a href="{atom:link[not(@rel)]/@href}" lang="{atom:summary/@xml:lang}"><xsl:value-of select="atom:title"/></a></h2>
                <p class="meta"><xsl:value-of select="atom:author/atom:name"/> · <xsl:value-of select="na:date"/></p>
                <p class="excerpt" lang="{atom:summary/@xml:lang}"><xsl:value-of select="atom:summary"/></p>
              </li>
            </xsl:for-each>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
