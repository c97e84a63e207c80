"""Real Kialo exports come in whole: cross-links, a second discussion, Markdown.

The files under tests/data/kialo are public Kialo exports (see the README
there): CRLF line ends, `[text](url)` links, backslash escapes (`\\(`) and
`-> See 1.2.2.` cross-links, where Kialo shows one point in a second place.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app import Cruxbot
from bot.context import Caller
from bot.domain import SLUG_MAX, SLUG_PATTERN
from bot.formats.kialo import parse_kialo
from tests.conftest import MEMBER, MODERATOR, text_of

DATA = Path(__file__).resolve().parent / "data" / "kialo"
#: 106 points, one of them `1.6.4. Pro: -> See 1.2.2.`; CRLF line ends.
ILLEGAL = DATA / "should-hate-speech-be-illegal-6148.txt"
#: 49 points, 8 of them cross-links; LF line ends.
PROTECTED = DATA / "should-hate-speech-be-legally-protected-10134-excerpt.txt"
_POINT = re.compile(r"^(\d+(?:\.\d+)*)\. (?:(Pro|Con): )?(.*)$")
_LINK = re.compile(r"^-> See (\d+(?:\.\d+)*)\.$")
ELSEWHERE = replace(MODERATOR, workspace_id="elsewhere")


def points(path: Path) -> dict[str, str]:
    """Every numbered point of a Kialo file: number -> text as exported."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _POINT.match(line)
        if match:
            found[match.group(1)] = match.group(3)
    return found


def links(path: Path) -> dict[str, str]:
    """The cross-links of a Kialo file: number of the link -> number it names."""
    return {
        number: match.group(1)
        for number, text in points(path).items()
        if (match := _LINK.match(text)) is not None
    }


async def document(app: Cruxbot, caller: Caller = MEMBER) -> dict[str, Any]:
    exported: dict[str, Any] = json.loads((await app.export_text("json", None, caller))[1])
    return exported


#: The files' bytes, read once (not in the event loop).
CONTENT = {path: path.read_bytes() for path in (ILLEGAL, PROTECTED)}


async def imported(app: Cruxbot, path: Path, caller: Caller = MODERATOR) -> dict[str, Any]:
    reply = await app.import_file(path.name, CONTENT[path], caller)
    assert not reply.error, reply.body
    return await document(app, caller)


def by_text(doc: dict[str, Any], start: str) -> dict[str, Any]:
    return next(s for s in doc["statements"] if s["text"].startswith(start))


def test_the_files_are_what_the_tests_say() -> None:
    assert b"\r\n" in CONTENT[ILLEGAL]
    assert links(ILLEGAL) == {"1.6.4": "1.2.2"}
    assert len(links(PROTECTED)) == 8
    assert "](http" in ILLEGAL.read_text(encoding="utf-8")


# -- cross-links are the same point in a second place, never a statement ----------------


@pytest.mark.parametrize("path", [ILLEGAL, PROTECTED], ids=["6148", "10134"])
async def test_cross_links_are_not_imported_as_statements(app: Cruxbot, path: Path) -> None:
    doc = await imported(app, path)
    assert len(doc["statements"]) == len(points(path)) - len(links(path))
    assert not [s["text"] for s in doc["statements"] if "-> See" in s["text"]]


async def test_a_cross_link_is_a_nickname_of_the_point_it_names(app: Cruxbot) -> None:
    doc = await imported(app, ILLEGAL)
    named = by_text(doc, "Hate speech often suggests actions")  # 1.2.2
    harm = by_text(doc, "Hate speech is harmful; harm is a basis")  # 1.6, the link's parent
    assert named["aliases"] == [f"also-for-{harm['slug']}"[:40].rstrip("-")]
    alias = named["aliases"][0]
    shown = text_of(await app.handle_line(f"/support {alias}", MEMBER))
    assert "Hate speech often suggests actions" in shown
    assert f"Also known as: `{alias}`" in shown


async def test_every_cross_link_of_a_discussion_names_its_point(app: Cruxbot) -> None:
    doc = await imported(app, PROTECTED)
    texts = points(PROTECTED)
    sides = {
        number: line.split(": ", 1)[0].rsplit(" ", 1)[-1]
        for line in CONTENT[PROTECTED].decode().splitlines()
        if (number := line.split(". ", 1)[0]) in texts
    }

    def statement_of(number: str) -> dict[str, Any]:
        as_stored = texts[number].replace("\\", "")  # Kialo escapes only punctuation
        return next(s for s in doc["statements"] if s["text"] == as_stored)

    aliases = [a for s in doc["statements"] for a in s["aliases"]]
    assert len(aliases) == len(links(PROTECTED))
    for link, named in links(PROTECTED).items():
        parent = statement_of(link.rpartition(".")[0])
        side = "for" if sides[link] == "Pro" else "against"
        expected = f"also-{side}-{parent['slug']}"[:40].rstrip("-")
        # several links under one parent are numbered: `also-against-hate-speech-too-subjectiv-2`
        unnumbered = {re.sub(r"-\d+$", "", a) for a in statement_of(named)["aliases"]}
        assert any(expected.startswith(a) and len(a) > 30 for a in unnumbered), link


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1. Thesis\n1.1. Con: -> See 1.9.\n", "Line 2: point 1.1 links to 1.9, which"),
        ("1. Thesis\n1.1. Con: -> See 1.1.\n", "Line 2: point 1.1 links to itself"),
        (
            "1. Thesis\n1.1. Con: -> See 1.2.\n1.2. Pro: -> See 1.1.\n",
            "Line 2: point 1.1 links to 1.2, which only links back",
        ),
        (
            "1. Thesis\n1.1. Con: -> See 1.\n1.1.1. Pro: Below a link.\n",
            "Line 3: point 1.1.1 is under 1.1, a link",
        ),
    ],
)
async def test_broken_cross_links_name_the_line_and_import_nothing(
    app: Cruxbot, text: str, message: str
) -> None:
    reply = await app.import_file("bad.txt", text.encode(), MODERATOR)
    assert reply.error
    assert message in reply.body
    assert (await document(app, MODERATOR))["statements"] == []


# -- a second discussion comes into the same workspace ------------------------------------


async def test_two_real_discussions_import_into_one_workspace(app: Cruxbot) -> None:
    first = await imported(app, ILLEGAL)
    both = await imported(app, PROTECTED)
    assert len(both["readings"]) == 2
    expected = len(points(ILLEGAL)) - 1 + len(points(PROTECTED)) - len(links(PROTECTED))
    assert len(both["statements"]) == expected
    names = [n for s in both["statements"] for n in (s["slug"], *s["aliases"])]
    assert len(names) == len(set(names))
    # both discussions ask whether "there is no such thing as hate speech"
    alike = [s for s in both["statements"] if s["slug"].startswith("there-such-thing-hate")]
    assert len(alike) == 2
    assert {s["slug"] for s in first["statements"]} <= set(names)  # nothing renamed


async def test_generated_nicknames_step_around_typed_ones(app: Cruxbot) -> None:
    typed = await app.handle_line("/claim hate-speech-banned Mine, typed first.", MODERATOR)
    assert not typed.error, typed.body
    doc = await imported(app, ILLEGAL)
    thesis = by_text(doc, "Hate speech should be banned.")
    assert thesis["slug"] == "hate-speech-banned-2"
    mine = text_of(await app.handle_line("/claim hate-speech-banned", MEMBER))
    assert "Mine, typed first." in mine


async def test_a_renamed_point_keeps_its_replies_and_links(app: Cruxbot) -> None:
    for slug in ("alpha-beta-gamma-delta", "alpha-beta-gamma-delta-3"):
        typed = await app.handle_line(f"/claim {slug} Typed by a member.", MODERATOR)
        assert not typed.error, typed.body
    kialo = "\r\n".join(
        ["1. Alpha beta gamma delta.", "1.1. Con: Alpha beta gamma delta.", "1.1.1. Pro: -> See 1."]
    )
    reply = await app.import_file("alpha.txt", kialo.encode(), MODERATOR)
    assert not reply.error, reply.body
    doc = await document(app, MODERATOR)
    kinds = {s["slug"]: s for s in doc["statements"]}
    thesis = kinds["alpha-beta-gamma-delta-4"]  # -2 is the file's own, -3 a member's
    assert thesis["text"] == "Alpha beta gamma delta." and thesis["kind"] == "claim"
    assert thesis["aliases"] == ["also-for-alpha-beta-gamma-delta-2"]
    assert kinds["alpha-beta-gamma-delta-2"]["target"] == "alpha-beta-gamma-delta-4"
    for slug in ("alpha-beta-gamma-delta", "alpha-beta-gamma-delta-3"):
        assert kinds[slug]["text"] == "Typed by a member."


async def test_the_same_discussion_twice_gets_a_second_reading(app: Cruxbot) -> None:
    await imported(app, ILLEGAL)
    doc = await imported(app, ILLEGAL)
    assert sorted(r["slug"] for r in doc["readings"]) == [
        "hate-speech-illegal",
        "hate-speech-illegal-2",
    ]
    assert len(doc["statements"]) == 2 * (len(points(ILLEGAL)) - 1)


async def test_a_json_file_with_a_taken_nickname_is_still_refused(app: Cruxbot) -> None:
    exported = json.dumps(await imported(app, ILLEGAL, ELSEWHERE)).encode()
    await app.handle_line("/claim hate-speech-banned Mine.", MODERATOR)
    reply = await app.import_file("map.json", exported, MODERATOR)
    assert reply.error
    assert "`hate-speech-banned`" in reply.body


# -- Markdown: kept in the text, out of titles and nicknames --------------------------------


async def test_markdown_links_and_escapes(app: Cruxbot) -> None:
    doc = await imported(app, ILLEGAL)
    kialo = by_text(doc, "The Free Marketplace of Ideas")
    assert "[Kialo](http://www.kialo.com)" in kialo["text"]
    trolls = by_text(doc, "Modern social media platforms")
    assert 'a few bad actors ("Trolls") to have' in trolls["text"]
    assert "\\" not in "".join(s["text"] for s in doc["statements"])
    amendment = by_text(doc, "The [first amendment](http://www.billofrightsinstitute.org/")
    assert amendment["title"].startswith("The first amendment protects the freedom of speech")
    for statement in doc["statements"]:
        for field in ("slug", "title"):
            assert not re.search(r"https?|www|\]\(", statement[field]), statement[field]


async def test_urls_stay_out_of_nicknames_in_the_second_file(app: Cruxbot) -> None:
    doc = await imported(app, PROTECTED)
    veto = by_text(doc, "The [Heckler's veto](https://en.wikipedia.org/wiki/Heckler%27s_veto)")
    assert veto["slug"] == "heckler-s-veto-argument"
    assert veto["title"].startswith("The Heckler's veto should not be an argument")


async def test_the_console_shows_a_link_as_text_and_address(app: Cruxbot) -> None:
    doc = await imported(app, ILLEGAL)
    slug = by_text(doc, "The Free Marketplace of Ideas")["slug"]
    shown = text_of(await app.handle_line(f"/support {slug}", MEMBER))
    assert "platforms like Kialo (http://www.kialo.com), will" in shown
    assert "](" not in shown


async def test_export_and_reimport_keep_text_links_and_nicknames(app: Cruxbot) -> None:
    await imported(app, ILLEGAL)
    await imported(app, PROTECTED)
    first = await document(app, MODERATOR)
    reply = await app.import_file("map.json", json.dumps(first).encode(), ELSEWHERE)
    assert not reply.error, reply.body
    again = await document(app, ELSEWHERE)

    def essentials(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
        return sorted(
            (s["slug"], tuple(s["aliases"]), s["kind"], s["title"], s["text"], s["target"])
            for s in doc["statements"]
        )

    assert essentials(again) == essentials(first)


# -- any tree Kialo could write ------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "speech",
        "law",
        "harm",
        "the",
        "is",
        "\\(note\\)",
        "a\\_b",
        "[see](https://x.example/a_(b))",
        "https://www.y.example/p?q=1",
        "[www.z.org](http://www.z.org)",
        "Ünïcode",
        "-",
        "1.",
    ]
)


@st.composite
def kialo_files(draw: st.DrawFn) -> tuple[str, int, int]:
    """(a Kialo export, its points, its cross-links), CRLF or LF."""
    numbers = ["1"]
    lines = [f"1. {' '.join(draw(st.lists(_WORDS, min_size=1, max_size=6)))}"]
    texts = [numbers[0]]
    cross = 0
    for _ in range(draw(st.integers(0, 25))):
        parent = draw(st.sampled_from(texts))
        number = f"{parent}.{sum(n.rpartition('.')[0] == parent for n in numbers) + 1}"
        numbers.append(number)
        side = draw(st.sampled_from(["Pro", "Con"]))
        if draw(st.booleans()) and len(texts) > 1:
            lines.append(f"{number}. {side}: -> See {draw(st.sampled_from(texts))}.")
            cross += 1
            continue
        texts.append(number)
        lines.append(
            f"{number}. {side}: {' '.join(draw(st.lists(_WORDS, min_size=1, max_size=8)))}"
        )
    end = draw(st.sampled_from(["\r\n", "\n"]))
    return "Discussion Title: A \\[test\\]" + end + end + end.join(lines) + end, len(numbers), cross


@settings(max_examples=60, deadline=None)
@given(kialo_files())
def test_any_kialo_tree_imports_links_as_nicknames_and_names_without_addresses(
    generated: tuple[str, int, int],
) -> None:
    text, count, cross = generated
    snapshot = parse_kialo(text, "Mo")
    statements = snapshot.statements
    assert len(statements) == count - cross
    names = [n for s in statements for n in (s.slug, *s.aliases)]
    assert len(names) == len(set(names)) == count
    for name in names:
        assert SLUG_PATTERN.match(name) and len(name) <= SLUG_MAX, name
    for statement in statements:
        assert not statement.text.startswith("->")
        assert "\\" not in statement.text
        for field in (statement.slug, statement.title):
            assert "://" not in field and "](" not in field and "www" not in field, field
    assert snapshot.readings[0].title == "A [test]"
