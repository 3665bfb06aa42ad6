"""HTML fragments (feed entries, JSON bodies) to plain text, paragraphs kept as lines."""

from __future__ import annotations

import html
import re

_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol",
    "p", "pre", "section", "table", "td", "th", "tr", "ul",
})
_DROPPED_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg"})
_TAG = re.compile(r"</?(?:p|br|div|span|a|em|strong|b|i|u|ul|ol|li|h[1-6]|blockquote|figure|"
                  r"figcaption|img|table|tr|td|section|article)\b[^>]*>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});")
_SPACES = re.compile(r"[ \t\f\v\r\n\u00a0]+")


def has_markup(text: str) -> bool:
    """Whether a text field holds HTML tags (common in CMS and API dumps)."""
    return _TAG.search(text) is not None


def unescape_entities(text: str) -> str:
    """Resolve character references such as ``&lt;`` or ``&#3;`` (SGML-era corpora keep them)."""
    return html.unescape(text) if _ENTITY.search(text) else text


def html_fragment_to_text(markup: str) -> str:
    """The text of an HTML fragment: block elements become line breaks, scripts are dropped."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    _remove_comments(root)
    lines: list[str] = []
    current: list[str] = []

    def end_line() -> None:
        line = _SPACES.sub(" ", "".join(current)).strip()
        if line:
            lines.append(line)
        current.clear()

    skipping = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag in _DROPPED_TAGS:
                skipping += 1
            elif tag in _BLOCK_TAGS and not skipping:
                end_line()
            if not skipping and element.text:
                current.append(element.text)
            continue
        if tag in _DROPPED_TAGS:
            skipping -= 1
        elif tag in _BLOCK_TAGS and not skipping:
            end_line()
        if not skipping and element.tail and element is not root:
            current.append(element.tail)
    end_line()
    return "\n".join(lines)


def _remove_comments(root) -> None:
    """Drop comments and processing instructions, keeping the text that follows them."""
    for node in root.xpath("//comment() | //processing-instruction()"):
        parent = node.getparent()
        if parent is None:
            continue
        tail = node.tail or ""
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(node)
