"""Member text on the pages: always text, never markup, links or script.

Hypothesis writes statements, steelmen and member names out of markup,
`javascript:` addresses, right-to-left and zero-width characters and
template syntax; each page must show them as the very text they were, with
no element, attribute or link they could have made.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser

from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import MEMBER, MODERATOR
from tests.web.conftest import Site, page_text

PIECES = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "<svg onload=alert(1)>",
        "javascript:alert(1)",
        "[click](javascript:alert(1))",
        "<a href='javascript:alert(1)'>x</a>",
        "\u202eevil\u202c",
        "\u200f\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd\u200f",
        "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
        "zero\u200bwidth\u200d\ufeff",
        "{{ 7*7 }}{% raw %}",
        "&amp;&lt;&#x3C;",
        "'\"`",
        "</textarea></title></style>",
    ]
)
#: Control characters are refused by the bot before anything is stored (tests/test_bad_input.py).
PRINTABLE = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40)
TEXTS = st.lists(st.one_of(PIECES, PRINTABLE), min_size=1, max_size=5).map(" ".join)
#: Elements and attributes the templates write; member text must add none.
TAGS = {
    "html", "head", "meta", "title", "link", "script", "body", "a", "header", "nav", "main",
    "footer", "p", "span", "h1", "h2", "section", "ul", "ol", "li", "code", "div", "blockquote",
    "strong", "table", "caption", "thead", "tbody", "tr", "th", "td", "figure", "figcaption",
}  # fmt: skip
ATTRIBUTES = {
    "lang", "charset", "name", "content", "rel", "href", "src", "defer", "class", "id", "dir",
    "aria-labelledby", "aria-label", "aria-live", "role", "data-version", "data-version-url",
    "scope", "tabindex", "start",
}  # fmt: skip
_counter = itertools.count()


class Markup(HTMLParser):
    """Every element and attribute of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def check_markup(html: str) -> None:
    """Only the templates' own elements, attributes and links are on the page.

    The map's SVG is Graphviz's, checked element by element before it is used
    (bot.services.web_map.safe_svg); here it is checked for script and events.
    """
    if "<svg" in html:
        start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
        svg, html = html[start:end], html[:start] + html[end:]
        for element in ET.fromstring(svg).iter():
            assert not element.tag.lower().endswith(("script", "foreignobject")), element.tag
            assert not [n for n in element.attrib if n.lower().startswith("on")], element.attrib
    parser = Markup()
    parser.feed(html)
    scripts = 0
    for tag, attrs in parser.tags:
        assert tag in TAGS, tag
        scripts += tag == "script"
        for name, value in attrs:
            assert name in ATTRIBUTES, (tag, name)
            if name in ("href", "src"):
                assert value is not None
                if value == "data:,":  # the empty icon in the page head
                    continue
                assert not value.lower().lstrip().startswith(("javascript:", "data:")), value
    assert scripts == 1


def flat(text: str) -> str:
    return " ".join(text.split())


@settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a failure is shown as found
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=TEXTS, steelman=TEXTS, name=TEXTS)
async def test_any_member_text_shows_as_itself_and_makes_no_markup(
    site: Site, text: str, steelman: str, name: str
) -> None:
    slug = f"gen-{next(_counter)}"
    author = replace(MEMBER, user_id=f"u-gen-{slug}", user_name=name[:80])
    logged = await site.app.run(
        "claim", {"slug": slug, "text": text, "reading": "alignment-optimism"}, author
    )
    assume(not logged.error)
    assert not (await site.app.run("steelman", {"slug": slug, "text": steelman}, author)).error
    assert not (await site.app.run("agree", {"slug": slug, "credence": "60"}, author)).error
    root = await site.link(MODERATOR)
    for page in (f"s/{slug}", "r/alignment-optimism"):
        status, html, _ = await site.get(root + page)
        assert status == 200
        check_markup(html)
    _, html, _ = await site.get(root + f"s/{slug}")
    shown = flat(page_text(html))
    for member_text in (text, steelman, author.user_name):
        assert flat(member_text) in shown


async def test_a_javascript_source_address_is_shown_but_never_linked(site: Site) -> None:
    reply = await site.app.handle_line("/edit lag url javascript:alert(document.cookie)", MODERATOR)
    root = await site.link(MODERATOR)
    _, html, _ = await site.get(root + "s/lag")
    check_markup(html)
    if not reply.error:  # kept as given: shown as text only
        assert "javascript:alert(document.cookie)" in page_text(html)
    assert 'href="javascript:' not in html.lower()
