"""The web view's HTTP routes, on the same aiohttp server as /healthz and Slack.

Pages live under /w/<token>/: the token names the workspace (see
bot.services.web_links), and a wrong or revoked one gets the same bare 404 as
a page that does not exist, so a guess learns nothing. Links between pages
are relative, so the pages work behind a reverse proxy under any path.
Every response carries the security headers (`add_security_headers`): a
Content-Security-Policy allowing only this server's own script and style
files (no inline script or style), no framing, no sniffing, no referrer.
"""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot.services.web_pages import WebPages

HERE = Path(__file__).parent
STATIC = HERE / "static"
STATIC_FILES = {
    "web.css": "text/css",
    "web.js": "text/javascript",
}
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
PAGES_KEY = web.AppKey("web_pages", WebPages)
TEMPLATES_KEY = web.AppKey("web_templates", jinja2.Environment)


async def add_security_headers(_: web.Request, response: web.StreamResponse) -> None:
    """Every response, pages, errors and operations paths alike, gets the headers."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


def templates() -> jinja2.Environment:
    """The page templates; every value is HTML-escaped unless a template says otherwise."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["when"] = _when
    environment.filters["web_url"] = _web_url
    return environment


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def _web_url(url: str) -> str:
    """A member-given address kept as a link only if it is http(s): never javascript: etc."""
    return url if url.lower().startswith(("https://", "http://")) else ""


NOT_FOUND = "Not found.\n"


def _not_found() -> web.Response:
    return web.Response(status=404, text=NOT_FOUND, headers={"Cache-Control": "no-store"})


def _page(request: web.Request, template: str, depth: int, **values: Any) -> web.Response:
    """A rendered page; `depth`: how many folders below the workspace root it is (r/, s/)."""
    up = "../" * depth or "./"
    html = (
        request.app[TEMPLATES_KEY]
        .get_template(template)
        .render(
            root=up,
            static=f"{up}../../static/",
            version=getattr(values.get("page"), "version", ""),
            **values,
        )
    )
    return web.Response(
        text=html,
        content_type="text/html",
        headers={"Cache-Control": "no-store"},
    )


async def index(request: web.Request) -> web.StreamResponse:
    """The workspace's readings and meetings."""
    page = await request.app[PAGES_KEY].index(request.match_info["token"])
    if page is None:
        return _not_found()
    return _page(request, "index.html", 0, page=page, title="Readings")


async def reading(request: web.Request) -> web.StreamResponse:
    """A reading's map and statements."""
    number = request.query.get("page", "1")
    if not number.isdigit() or not 1 <= int(number) <= 100_000:
        return _not_found()
    page = await request.app[PAGES_KEY].reading(
        request.match_info["token"], request.match_info["slug"], int(number)
    )
    if page is None:
        return _not_found()
    return _page(request, "reading.html", 1, page=page, title=page.title or page.slug)


async def statement(request: web.Request) -> web.StreamResponse:
    """A statement with its steelmen, answers, stances, cruxes and history."""
    page = await request.app[PAGES_KEY].statement(
        request.match_info["token"], request.match_info["slug"]
    )
    if page is None:
        return _not_found()
    return _page(request, "statement.html", 1, page=page, title=page.item.slug)


async def meeting(request: web.Request) -> web.StreamResponse:
    """A meeting's minutes."""
    page = await request.app[PAGES_KEY].meeting(
        request.match_info["token"], request.match_info["number"]
    )
    if page is None:
        return _not_found()
    return _page(request, "meeting.html", 1, page=page, title=f"Meeting {page.meeting.number}")


async def go(request: web.Request) -> web.StreamResponse:
    """A nickname from /map: the reading's page or the statement's."""
    path = await request.app[PAGES_KEY].reading_or_statement(
        request.match_info["token"], request.match_info["slug"]
    )
    if path is None:
        return _not_found()
    raise web.HTTPSeeOther(f"../{path}", headers={"Cache-Control": "no-store"})


async def version(request: web.Request) -> web.StreamResponse:
    """The workspace's current version, polled by the pages' live refresh."""
    current = await request.app[PAGES_KEY].version(request.match_info["token"])
    if current is None:
        return _not_found()
    return web.Response(text=current, headers={"Cache-Control": "no-store"})


async def static(request: web.Request) -> web.StreamResponse:
    """The pages' one stylesheet and one script (no directory listing, no other file)."""
    name = request.match_info["name"]
    if name not in STATIC_FILES:
        return _not_found()
    return web.Response(
        body=_static_bytes(name),
        content_type=STATIC_FILES[name],
        charset="utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@functools.cache
def _static_bytes(name: str) -> bytes:
    return (STATIC / name).read_bytes()


def web_routes(web_app: web.Application, pages: WebPages) -> None:
    """Add the web view's routes to an application."""
    web_app[PAGES_KEY] = pages
    web_app[TEMPLATES_KEY] = templates()
    token = "{token:[A-Za-z0-9_-]{1,100}}"
    slug = "{slug:[A-Za-z0-9_-]{1,80}}"
    web_app.router.add_get(f"/w/{token}/", index)
    web_app.router.add_get(f"/w/{token}/r/{slug}", reading)
    web_app.router.add_get(f"/w/{token}/s/{slug}", statement)
    web_app.router.add_get(f"/w/{token}/m/{{number:[a-z0-9]{{1,12}}}}", meeting)
    web_app.router.add_get(f"/w/{token}/go/{slug}", go)
    web_app.router.add_get(f"/w/{token}/version", version)
    web_app.router.add_get("/static/{name}", static)
