"""What keeps a shared HTML report inert and offline, in one place.

A report carries text from someone else's scenario file into a browser.
Templates autoescape every value (HTML text and quoted attributes); this module
adds what autoescaping cannot know:

* :func:`safe_url`: links keep only ``http``, ``https`` and relative targets
  (a ``javascript:`` or ``data:`` link is shown as text, not made a link);
* :func:`json_island`: data embedded in ``<script type="application/json">``
  cannot close the element or open a comment (``<``, ``>``, ``&`` and the
  line separators U+2028/U+2029 are ``\\u`` escapes);
* :func:`with_content_security_policy`: a ``Content-Security-Policy`` meta
  tag that forbids every network request and allows only the report's own
  inline style and script, by hash (an injected event handler, script or
  style would not run even if escaping failed somewhere).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

from markupsafe import Markup

ALLOWED_SCHEMES = ("http", "https")

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")  # stripped or skipped in a URL's scheme


def safe_url(value: Any) -> str | None:
    """``value`` if it is an http(s) or relative URL, else ``None`` (show it as text)."""
    if not isinstance(value, str) or not value.strip():
        return None
    probe = _IGNORED_BY_BROWSERS.sub("", value)
    if probe.startswith(("//", "\\\\", "/\\", "\\/")):  # another host, scheme implied
        return None
    m = _SCHEME.match(probe)
    if m is not None and m.group(1).lower() not in ALLOWED_SCHEMES:
        return None
    if m is None and ":" in probe.split("/", 1)[0]:  # e.g. "javascript&colon;" spelled oddly
        return None
    return value.strip()


_ISLAND_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                   "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_island(data: Any) -> Markup:
    """JSON text safe to place inside ``<script type="application/json">``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, allow_nan=False)
    return Markup(re.sub("[<>&\u2028\u2029]", lambda m: _ISLAND_ESCAPES[m.group(0)], text))


_BLOCK = re.compile(r"<(script|style)\b[^>]*>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_OWN_STYLE = re.compile(
    r"^(?:\s*(?:background|color|border-color|fill|stroke|width|height|left|top)\s*:\s*"
    r"(?:#[0-9A-Fa-f]{3,8}|-?[0-9.]+(?:%|px|em|rem)?)\s*;?)+\s*$")
"""Style attributes the report's own templates write: a colour or a length, nothing a
scenario's text could put there (text is escaped and never lands in a style)."""


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(page: str) -> str:
    """The policy for ``page``: no network, its own inline blocks by hash."""
    scripts: set[str] = set()
    styles: set[str] = set()
    for kind, body in _BLOCK.findall(page):
        if kind.lower() == "script":
            scripts.add(_hash(body))
        else:
            styles.add(_hash(body))
    attrs = {_hash(v) for v in _STYLE_ATTR.findall(page) if _OWN_STYLE.match(v)}
    style_src = " ".join(sorted(styles) + (["'unsafe-hashes'", *sorted(attrs)] if attrs else []))
    script_src = " ".join(sorted(scripts)) or "'none'"
    return ("default-src 'none'; "
            f"script-src {script_src}; "
            f"style-src {style_src or chr(39) + 'none' + chr(39)}; "
            "img-src data:; font-src 'none'; connect-src 'none'; media-src 'none'; "
            "object-src 'none'; frame-src 'none'; child-src 'none'; worker-src 'none'; "
            "manifest-src 'none'; base-uri 'none'; form-action 'none'")


_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(r'<meta charset="[^"]*">', re.IGNORECASE)


def with_content_security_policy(page: str) -> str:
    """``page`` with the policy as the first element after its charset declaration."""
    meta = ('<meta http-equiv="Content-Security-Policy" content="'
            + content_security_policy(page) + '">')
    anchor = _CHARSET.search(page) or _HEAD.search(page)
    if anchor is None:
        return meta + "\n" + page
    return page[:anchor.end()] + "\n" + meta + page[anchor.end():]
