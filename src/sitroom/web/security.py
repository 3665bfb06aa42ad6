"""What every answer of the app carries so that a hostile record cannot run code in a reader's
browser: security headers on every response, and only http(s) links drawn from data.

The pages need no inline script or style (charts and the map are server-drawn SVG, the one
script is a file under /static, the API explorer starts from a file too), so the policy allows
scripts and styles from this app only. A request with a NUL character anywhere in its address is
refused before any route sees it: no parameter means anything with one, and PostgreSQL refuses
NUL in text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # the API explorer's icons are data: images in its stylesheet
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
_RAW_HEADERS = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in HEADERS.items()]

# An address a link may point to: http or https and a host; "javascript:", "data:" and
# relative addresses are no address of a report.
_WEB_URL = re.compile(r"^https?://[^\s/?#\\]", re.IGNORECASE)


def web_url(value: Any) -> str | None:
    """``value`` when it is an http(s) address, else None (a record's URL is data, not markup)."""
    return value if isinstance(value, str) and _WEB_URL.match(value.strip()) and value == value.strip() else None


class SecurityHeaders:
    """ASGI middleware: the ``HEADERS`` on every response (pages, API, static files, errors), and
    ``refuse(request, 400, reason)`` for an address holding a NUL character. A plain ASGI
    wrapper, so streamed exports stay streamed."""

    def __init__(self, app: ASGIApp, refuse: Callable[[Request, int, str], Response]) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = {name for name, _ in _RAW_HEADERS}
                message["headers"] = [*(h for h in message.get("headers", []) if h[0].lower() not in own),
                                      *_RAW_HEADERS]
            await send(message)

        if _has_nul(scope):
            response = self.refuse(Request(scope, receive), 400, "the address holds a NUL character")
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def _has_nul(scope: Scope) -> bool:
    path = scope.get("path", "")
    query = scope.get("query_string", b"")
    return "\x00" in path or b"\x00" in unquote_to_bytes(query.replace(b"+", b" "))

