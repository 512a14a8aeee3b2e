"""Render sender HTML as plain text without executing, fetching or trusting anything in it."""

from __future__ import annotations

import html as html_entities
import re
import string

from inscriptis import get_text

# Beyond this the HTML is cut before rendering: a body this large is markup bloat, not more letter.
MAX_HTML_CHARS = 2_000_000

_TAG = re.compile(r"<[^<>]*>")
_BLANK_LINES = re.compile(r"\n\n\n+")
_HIDDEN = ("script", "style", "head", "title")
# ASCII-only lower-casing keeps offsets aligned with the original (str.lower can change lengths).
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def html_to_text(markup: str) -> str:
    """Return the readable text of *markup*; script, style and head contents are dropped.

    inscriptis renders the layout (paragraphs, lists, tables); when it fails on hostile markup
    (lxml errors, nesting deep enough to exhaust the stack) a plain tag stripper is used instead.
    """
    markup = markup[:MAX_HTML_CHARS]
    try:
        text = get_text(markup)
    except Exception:  # lxml has its own error tree, and deep nesting raises RecursionError
        text = ""
    if not text.strip():
        # lxml silently drops what lies deeper than its nesting limit; the stripper keeps it.
        text = strip_tags(markup)
    # Layout indentation and trailing blanks carry nothing once the markup is gone.
    text = "\n".join(line.strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", text).strip()


def _drop_element(markup: str, lowered: str, name: str) -> tuple[str, str]:
    """Remove every <name ...>...</name> with plain string searches (linear, no backtracking)."""
    pieces: list[str] = []
    start = 0
    search = start
    while True:
        opening = lowered.find("<" + name, search)
        if opening < 0:
            pieces.append(markup[start:])
            break
        after = lowered[opening + 1 + len(name) : opening + 2 + len(name)]
        if after and (after.isalnum() or after == "-"):  # <header> is not <head>
            search = opening + 1
            continue
        pieces.append(markup[start:opening])
        closing = lowered.find("</" + name, opening)
        if closing < 0:
            break
        end = lowered.find(">", closing)
        start = len(markup) if end < 0 else end + 1
        search = start
    kept = "".join(pieces)
    return kept, kept.translate(_ASCII_LOWER)


def strip_tags(markup: str) -> str:
    """Return *markup* without hidden elements, tags and entities: a fallback renderer with no layout."""
    lowered = markup.translate(_ASCII_LOWER)
    for name in _HIDDEN:
        markup, lowered = _drop_element(markup, lowered, name)
    markup = re.sub(r"(?i)<\s*(?:br|/p|/div|/tr|/li|/h[1-6])\b[^<>]*>", "\n", markup)
    return html_entities.unescape(_TAG.sub(" ", markup))
