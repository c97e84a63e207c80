"""Argdown export: every text arrives in the Argdown CLI as it was written."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

from bot.formats.argdown import flatten, to_argdown
from bot.storage.snapshot_rows import MapSnapshot, ReadingRow, StatementRow
from tests.argdown_cli import argdown_json, member_texts, require_argdown

#: Pieces of text Argdown could read as syntax, mixed with ordinary words.
PIECES = [
    "The paper at https://example.org/paper shows it",
    "//",
    "/*",
    "*/",
    "<!--",
    "-->",
    "[x]",
    "[x]:",
    "<y>",
    "<y>:",
    "[l](http://u.example)",
    "#tag",
    "#(two words)",
    "# ",
    "## H",
    "===",
    "=== a ===",
    "+",
    "-",
    ">",
    "->",
    "+>",
    "<-",
    "<+",
    "><",
    "_>",
    "<_",
    '"',
    "'",
    "\n",
    "\n\n",
    "\n- x",
    "\n+ y",
    "\n> z",
    "\n# h",
    "\n(1) p",
    "\n1. item",
    "\n* item",
    "\n----",
    "\\",
    "\\n",
    "{a: 1}",
    "}",
    ".y.",
    ":+1:",
    "e.g.",
    "x.y.z",
    "**b**",
    "__u__",
    "*i*",
    "_i_",
    "@[x]",
    "@<y>",
    "@include(x.argdown)",
    ",",
    ";",
    "(",
    ")",
    "--",
    " ",
    "\t",
    "word",
    "Ünïcödé",
    "日本語",
]
texts = (
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.text(st.characters(codec="ascii"), max_size=8)),
        min_size=1,
        max_size=12,
    )
    .map("".join)
    .filter(lambda text: flatten(text) != "")
)


def _statement(slug: str, kind: str, text: str, target: str | None) -> StatementRow:
    return StatementRow(
        slug=slug,
        kind=kind,
        title=flatten(text)[:100],
        text=text,
        status="open",
        author_name=text[:20],
        target=target,
        reading="r",
    )


#: Each example is one run of the (slow) CLI; a failing one is reported as found,
#: since shrinking it would take hundreds more runs.
@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.generate])
# A title starting with a form feed, which Argdown trims as JavaScript's trim() does.
@example(title="\x0c\x1a A\n0/0", claims=["\u00a0word\x0b"], objections=["x\x0c"])
@given(title=texts, claims=st.lists(texts, min_size=1, max_size=15), objections=st.lists(texts))
def test_every_text_arrives_intact_in_the_argdown_cli(
    title: str, claims: list[str], objections: list[str]
) -> None:
    require_argdown()
    statements = [_statement(f"c{i}", "claim", t, None) for i, t in enumerate(claims)]
    statements += [_statement(f"o{i}", "objection", t, "c0") for i, t in enumerate(objections)]
    snapshot = MapSnapshot(readings=[ReadingRow(slug="r", title=title)], statements=statements)
    with tempfile.TemporaryDirectory() as directory:
        parsed = argdown_json(Path(directory), to_argdown(snapshot))
    assert [s["title"] for s in parsed["sections"]] == [flatten(title)]
    for statement in statements:
        group = "statements" if statement.kind == "claim" else "arguments"
        element = parsed[group][statement.slug]
        # Argdown ends the text of a statement that has data and relations with a
        # space (the line break before them), which its own views trim.
        assert [t.rstrip(" ") for t in member_texts(element)] == [flatten(statement.text)]
        assert element["data"]["kind"] == statement.kind
        assert element["data"].get("text", statement.text) == statement.text
        assert element["data"]["author"] == statement.author_name
    relations = {(r["from"], r["to"], r["relationType"]) for r in parsed["relations"]}
    assert relations == {(f"o{i}", "c0", "attack") for i in range(len(objections))}
