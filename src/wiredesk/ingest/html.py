"""HTML pages: main text via trafilatura, plus the page facts the text loses (title, site name, canonical URL,
and every date the markup states, tagged by where it came from so pubdate can judge them)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from wiredesk.ingest.dates import find_dates, parse_date

log = logging.getLogger(__name__)

#: meta name/property/itemprop values that state the article's publication date (lower-cased).
PUBLISHED_META = frozenset({
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished", "date",
    "pubdate", "publishdate", "publish-date", "publish_date", "publication_date", "dc.date", "dc.date.issued",
    "dc.date.created", "dcterms.created", "dcterms.issued", "dcterms.date", "sailthru.date", "parsely-pub-date",
    "article.published", "article_date_original", "original-publish-date", "datecreated", "release_date",
    "citation_publication_date", "citation_date", "bt:pubdate", "pub_date", "published_time", "published-date",
    "article:published", "eomportal-lastupdate", "displaydate", "date.release", "og:pubdate",
})
MODIFIED_META = frozenset({
    "article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified",
    "dc.date.modified", "article:modified", "lastmod", "modified_time", "revised",
})
_DATE_CLASS = re.compile(r"byline|dateline|date|time|posted|publish|timestamp|meta|article-info", re.I)
_SITE_CLASS = re.compile(r"today|current-date|banner|masthead|top-?bar|topbar|site-header|header-date|"
                         r"navbar|weather|ticker", re.I)


def _walk_jsonld(node: Any, out: list[dict], depth: int = 0) -> None:
    if depth > 12:
        return
    if isinstance(node, list):
        for item in node:
            _walk_jsonld(item, out, depth + 1)
    elif isinstance(node, dict):
        kind = str(node.get("@type", ""))
        for key, label in (("datePublished", "published"), ("dateCreated", "published"),
                           ("uploadDate", "published"), ("dateModified", "modified")):
            value = node.get(key)
            if isinstance(value, str):
                out.append({"kind": label, "source": f"json-ld:{kind}:{key}", "text": value})
        for key in ("headline", "name"):
            if key == "headline" and isinstance(node.get(key), str):
                out.append({"kind": "headline", "source": "json-ld", "text": node[key]})
        pub = node.get("publisher")
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            out.append({"kind": "publisher", "source": "json-ld", "text": pub["name"]})
        for value in node.values():
            if isinstance(value, (dict, list)):
                _walk_jsonld(value, out, depth + 1)


def _inside(el, tags: tuple[str, ...]) -> bool:
    for anc in el.iterancestors():
        if isinstance(anc.tag, str) and anc.tag.lower() in tags:
            return True
    return False


def _site_region(el) -> bool:
    """True for page furniture: a header/nav outside the article, or a banner-like class on the way up."""
    for anc in [el, *el.iterancestors()]:
        if not isinstance(anc.tag, str):
            continue
        cls = f"{anc.get('class', '')} {anc.get('id', '')}"
        if _SITE_CLASS.search(cls):
            return True
        if anc.tag.lower() in ("article", "main"):
            return False
        if anc.tag.lower() in ("nav", "header", "footer", "aside") and not _inside(anc, ("article", "main")):
            return True
    return False


def page_facts(tree) -> dict[str, Any]:
    """Title, site name, canonical URL and dated elements from a parsed page (lxml.html tree)."""
    facts: dict[str, Any] = {"dates": [], "title": None, "sitename": None, "url": None}
    dates = facts["dates"]
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv") or "")
        key = key.strip().lower()
        content = (meta.get("content") or "").strip()
        if not key or not content:
            continue
        if key in PUBLISHED_META:
            dates.append({"kind": "published", "source": f"meta:{key}", "text": content})
        elif key in MODIFIED_META:
            dates.append({"kind": "modified", "source": f"meta:{key}", "text": content})
        elif key in ("og:site_name", "application-name", "publisher", "twitter:site") and not facts["sitename"]:
            facts["sitename"] = content.lstrip("@")
        elif key == "og:title" and not facts["title"]:
            facts["title"] = content
        elif key == "og:url" and not facts["url"]:
            facts["url"] = content
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            facts["url"] = link.get("href").strip()
    for script in tree.iter("script"):
        if "ld+json" in (script.get("type") or "").lower() and script.text:
            try:
                found: list[dict] = []
                _walk_jsonld(json.loads(script.text), found)
            except (ValueError, RecursionError):
                continue
            for item in found:
                if item["kind"] == "publisher":
                    facts["sitename"] = facts["sitename"] or item["text"]
                elif item["kind"] == "headline":
                    facts["title"] = facts["title"] or item["text"]
                else:
                    dates.append(item)
    for el in tree.iter("time"):
        value = el.get("datetime") or el.text_content()
        if not value:
            continue
        prop = (el.get("itemprop") or "").lower()
        cls = f"{el.get('class', '')} {prop}"
        if _site_region(el):
            kind = "site"
        elif "modified" in cls.lower() or "updated" in cls.lower():
            kind = "modified"
        elif el.get("pubdate") is not None or "publish" in cls.lower() or prop == "datepublished":
            kind = "published"
        else:
            kind = "time"
        dates.append({"kind": kind, "source": "time", "text": value.strip()[:80]})
    for el in tree.xpath("//*[@itemprop='datePublished' and not(self::meta) and not(self::time)]"):
        value = el.get("content") or el.text_content()
        if value:
            dates.append({"kind": "published", "source": "itemprop", "text": value.strip()[:80]})
    # Visible dates in bylines and page furniture: the byline is the article's, the banner is the site's.
    for el in tree.iter("div", "span", "p", "li", "small", "em", "strong", "header", "abbr"):
        cls = f"{el.get('class', '')} {el.get('id', '')}"
        if not _DATE_CLASS.search(cls) and not _SITE_CLASS.search(cls):
            continue
        text = " ".join(el.text_content().split())
        if not text or len(text) > 200 or not find_dates(text):
            continue
        kind = "site" if _site_region(el) else "byline"
        dates.append({"kind": kind, "source": f"class:{cls.strip()[:40]}", "text": text})
    if not facts["title"]:
        h1 = tree.find(".//h1")
        title_el = tree.find(".//title")
        if h1 is not None and h1.text_content().strip():
            facts["title"] = " ".join(h1.text_content().split())
        elif title_el is not None and title_el.text:
            facts["title"] = " ".join(title_el.text.split())
    for item in dates:
        item["value"] = parse_date(item["text"])
    facts["dates"] = [d for d in dates if d["value"]]
    return facts


def strip_tags(html: str) -> str:
    """Last resort for pages lxml cannot build a tree for: drop scripts, styles and tags, keep the text."""
    import html as htmllib

    html = re.sub(r"(?is)<(script|style|noscript)\b.*?(?:</\1>|$)", " ", html)
    html = re.sub(r"(?i)<\s*(?:br|/p|/div|/h\d|/li|/tr)\b[^>]*>", "\n", html)
    text = htmllib.unescape(re.sub(r"(?s)<[^>]*>?", " ", html))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def extract_html(html: str, url: str | None = None) -> dict[str, Any]:
    """Main text and page facts of an HTML page: {text, title, sitename, url, dates, extractor}."""
    import lxml.html
    import trafilatura
    from lxml import etree

    facts: dict[str, Any] = {"dates": [], "title": None, "sitename": None, "url": None}
    text = None
    extractor = "trafilatura"
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        log.debug("lxml could not parse page: %s", exc)
        tree = None
    if tree is not None:
        try:
            facts = page_facts(tree)
        except Exception as exc:  # noqa: BLE001 - facts are a bonus; the text matters more
            log.debug("page facts failed: %s", exc)
        try:
            doc = trafilatura.bare_extraction(html, url=url or facts.get("url"), with_metadata=True,
                                              include_comments=False, include_tables=False,
                                              date_extraction_params={"extensive_search": False})
        except Exception as exc:  # noqa: BLE001 - trafilatura raises many kinds on broken markup
            log.debug("trafilatura failed: %s", exc)
            doc = None
        if doc is not None:
            data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
            text = data.get("text")
            facts["title"] = facts["title"] or data.get("title")
            facts["sitename"] = facts["sitename"] or data.get("sitename")
        if not text:
            extractor = "lxml-text"
            try:
                body = tree.find(".//body")
                text = "\n".join(" ".join(s.split()) for s in (body if body is not None else tree).itertext()
                                 if s.strip())
            except Exception:  # noqa: BLE001
                text = None
    if not text:
        extractor = "tag-strip"
        text = strip_tags(html)
    facts["text"] = text or ""
    facts["extractor"] = extractor
    return facts
