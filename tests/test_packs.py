"""Reading packs: the demo pack and the validation of hand-written YAML."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain import KINDS, SLUG_MAX, TEXT_MAX, TITLE_MAX
from bot.packs.loader import DEMO_PACK, Pack, PackError, load_pack, parse_pack


@pytest.fixture(scope="module")
def demo() -> Pack:
    return load_pack(DEMO_PACK)


def statement(slug: str, kind: str | None = "claim", **fields: Any) -> dict[str, Any]:
    return {"slug": slug, "kind": kind, "text": f"The {slug} statement.", "author": "Ann", **fields}


def pack(*statements: object, **top: Any) -> dict[str, Any]:
    """A valid pack: a claim `c`, an objection `o` to it and a reply `r` to that."""
    return {
        "pack": 1,
        "reading": {"slug": "a-reading", "title": "A Reading", "author": "Someone"},
        "statements": [
            statement("c"),
            statement("o", "objection", target="c"),
            statement("r", "reply", target="o"),
            *statements,
        ],
        **top,
    }


def rejected(data: Any) -> PackError:
    with pytest.raises(PackError) as info:
        parse_pack(data)
    return info.value


# ------------------------------------------------------------ the demo pack


def test_demo_pack_reading(demo: Pack) -> None:
    assert demo.reading.slug == "alignment-optimism"
    assert demo.reading.author == "Jan Leike"
    assert demo.reading.url.startswith("https://")


def test_demo_pack_lag(demo: Pack) -> None:
    by_slug = {s.slug: s for s in demo.statements}
    lag = by_slug["lag"]
    assert lag.kind == "objection"
    assert lag.aliases == ("alignment-lag",)
    assert lag.target == "mvp-researcher"
    assert lag.status == "open"
    assert lag.title == "Alignment progress may stay one step behind capabilities"
    assert len(lag.steelmen) == 2
    assert {s.member for s in lag.stances} >= {"Priya", "Tomás"}


def test_demo_pack_blank_slate(demo: Pack) -> None:
    blank = {s.slug: s for s in demo.statements}["blank-slate"]
    assert blank.kind == "claim"
    assert blank.target is None
    assert len(blank.steelmen) >= 2
    assert sum(s.endorsed for s in blank.steelmen) == 1
    assert all(s.text and s.author for s in blank.steelmen)


def test_demo_pack_mvp_researcher(demo: Pack) -> None:
    mvp = {s.slug: s for s in demo.statements}["mvp-researcher"]
    assert mvp.kind == "claim"
    assert mvp.author == "Jan Leike"


def test_demo_pack_is_consistent(demo: Pack) -> None:
    slugs = demo.all_slugs()
    assert len(slugs) == len(set(slugs))
    assert "alignment-lag" in slugs
    assert {s.kind for s in demo.statements} == set(KINDS)
    for s in demo.statements:
        assert s.text == s.text.strip()
        assert 0 < len(s.title) <= TITLE_MAX
        for stance in s.stances:
            assert stance.credence is None or 0 <= stance.credence <= 100


def test_demo_folded_text_is_one_paragraph(demo: Pack) -> None:
    lag = {s.slug: s for s in demo.statements}["lag"]
    assert "\n" not in lag.text
    assert lag.text.startswith("Even if debate")


# ------------------------------------------------------------ a valid pack


def test_minimal_pack_parses() -> None:
    parsed = parse_pack(pack())
    assert [s.slug for s in parsed.statements] == ["c", "o", "r"]
    assert parsed.statements[1].target == "c"
    assert parsed.statements[0].title == "The c statement."
    assert parsed.statements[0].status == "open"


def test_pack_without_statements_parses() -> None:
    parsed = parse_pack({"pack": 1, "reading": {"slug": "r", "title": "R"}})
    assert parsed.statements == ()


def test_slugs_are_normalised() -> None:
    parsed = parse_pack(pack(statement("Upper", aliases=["Other-Name"])))
    assert parsed.statements[-1].slug == "upper"
    assert parsed.statements[-1].aliases == ("other-name",)


def test_objection_may_target_an_objection() -> None:
    parsed = parse_pack(pack(statement("o2", "objection", target="o")))
    assert parsed.statements[-1].target == "o"


def test_target_may_be_an_alias() -> None:
    data = pack(statement("o2", "objection", target="c", aliases=["o2-alias"]))
    data["statements"].append(statement("r2", "reply", target="o2-alias"))
    assert parse_pack(data).statements[-1].target == "o2-alias"


def test_text_at_the_limit_is_accepted() -> None:
    parsed = parse_pack(pack(statement("long", text="x" * TEXT_MAX)))
    assert len(parsed.statements[-1].text) == TEXT_MAX


def test_stances_and_steelmen() -> None:
    data = pack(
        statement(
            "s",
            steelmen=[{"text": "Better.", "author": "Bo", "endorsed": True}],
            stances=[
                {"member": "Bo", "position": "agree", "credence": 0},
                {"member": "Cy", "position": "unsure"},
            ],
        )
    )
    parsed = parse_pack(data).statements[-1]
    assert parsed.steelmen[0].endorsed
    assert [(x.member, x.position, x.credence) for x in parsed.stances] == [
        ("Bo", "agree", 0),
        ("Cy", "unsure", None),
    ]


# ------------------------------------------------------------ rejected packs


@pytest.mark.parametrize("version", [None, 0, 2, "1", "one"])
def test_wrong_pack_version(version: object) -> None:
    data = pack()
    if version is None:
        del data["pack"]
    else:
        data["pack"] = version
    error = rejected(data)
    assert "pack format" in error.message
    assert "expected `pack: 1`" in error.message


@pytest.mark.parametrize("version", [True, 1.0])
def test_pack_version_must_be_the_integer_one(version: object) -> None:
    rejected(pack(pack=version))


@pytest.mark.parametrize("data", [None, [], "pack: 1", 1])
def test_pack_must_be_a_mapping(data: object) -> None:
    assert "mapping" in rejected(data).message


def test_missing_reading() -> None:
    data = pack()
    del data["reading"]
    assert "reading must be a mapping" in rejected(data).message


def test_reading_without_title() -> None:
    data = pack()
    del data["reading"]["title"]
    assert rejected(data).message == "reading: `title` is missing."


def test_statements_must_be_a_list() -> None:
    assert "`statements` must be a list" in rejected(pack(statements={"c": {}})).message


def test_statement_must_be_a_mapping() -> None:
    assert "statement #4 must be a mapping" in rejected(pack("just a string")).message


def test_statement_missing_text() -> None:
    bad = statement("no-text")
    del bad["text"]
    assert rejected(pack(bad)).message == "statement `no-text`: `text` is missing."


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_statement_with_empty_text(text: str) -> None:
    error = rejected(pack(statement("blank", text=text)))
    assert "statement `blank`" in error.message
    assert "`text`" in error.message


def test_statement_missing_author() -> None:
    bad = statement("anon")
    del bad["author"]
    assert rejected(pack(bad)).message == "statement `anon`: `author` is missing."


def test_statement_missing_slug_is_located_by_number() -> None:
    bad = statement("x")
    del bad["slug"]
    assert rejected(pack(bad)).message == "statement #4: `slug` is missing."


@pytest.mark.parametrize("kind", ["question", "Claim", "", None])
def test_bad_kind(kind: str | None) -> None:
    error = rejected(pack(statement("k", kind=kind)))
    assert "statement `k`" in error.message
    assert "kind" in error.message


def test_bad_kind_lists_the_kinds() -> None:
    assert "claim, objection, reply, support" in rejected(pack(statement("k", "rebuttal"))).message


@pytest.mark.parametrize("kind", ["objection", "reply", "support"])
def test_answering_kinds_need_a_target(kind: str | None) -> None:
    error = rejected(pack(statement("lonely", kind)))
    assert error.message.startswith("statement `lonely`: ")
    assert error.message.endswith(" need a `target`.")


def test_claim_with_a_target() -> None:
    error = rejected(pack(statement("c2", target="c")))
    assert error.message == "statement `c2`: claims have no target."


def test_target_appearing_later() -> None:
    data = pack()
    data["statements"].insert(0, statement("early", "objection", target="late"))
    data["statements"].append(statement("late"))
    error = rejected(data)
    assert "statement `early`" in error.message
    assert "target `late` must appear earlier" in error.message


def test_unknown_target() -> None:
    error = rejected(pack(statement("o2", "objection", target="nowhere")))
    assert "target `nowhere` must appear earlier in the pack" in error.message


def test_target_is_not_itself() -> None:
    error = rejected(pack(statement("selfish", "objection", target="selfish")))
    assert "target `selfish` must appear earlier" in error.message


def test_reply_targeting_a_claim() -> None:
    error = rejected(pack(statement("r2", "reply", target="c")))
    assert error.message.startswith("statement `r2`: ")
    assert error.message.endswith(" answer objections, not the claim `c`.")


@pytest.mark.parametrize(
    "bad", [statement("r2", "reply"), statement("r2", "reply", target="c")], ids=["none", "claim"]
)
def test_reply_errors_spell_replies(bad: dict[str, Any]) -> None:
    assert "replies" in rejected(pack(bad)).message


def test_supports_and_objections_may_answer_any_statement() -> None:
    parsed = parse_pack(
        pack(statement("s2", "support", target="o"), statement("o2", "objection", target="r"))
    )
    assert [(s.slug, s.target) for s in parsed.statements[-2:]] == [("s2", "o"), ("o2", "r")]


def test_a_reply_answers_only_an_objection() -> None:
    error = rejected(pack(statement("r2", "reply", target="r")))
    assert "replies answer objections, not the reply `r`" in error.message


def test_duplicate_slug() -> None:
    error = rejected(pack(statement("c")))
    assert error.message == "statement `c`: the nickname `c` is used twice."


def test_duplicate_slug_via_alias() -> None:
    error = rejected(pack(statement("new", aliases=["o"])))
    assert error.message == "statement `new`: the nickname `o` is used twice."


def test_alias_clashing_with_a_later_slug() -> None:
    data = pack(statement("first", aliases=["second"]), statement("second"))
    assert "the nickname `second` is used twice" in rejected(data).message


def test_alias_equal_to_own_slug() -> None:
    assert (
        "nickname `same` is used twice"
        in rejected(pack(statement("same", aliases=["same"]))).message
    )


def test_slug_is_case_insensitive_for_duplicates() -> None:
    assert "nickname `c` is used twice" in rejected(pack(statement("C"))).message


@pytest.mark.parametrize("status", ["duplicate", "closed", "Open"])
def test_invalid_status(status: str) -> None:
    error = rejected(pack(statement("st", status=status)))
    assert error.message.startswith("statement `st`: status must be open, answered")


@pytest.mark.parametrize("credence", [-1, 101, 50.5, "70", "70%"])
def test_invalid_credence(credence: object) -> None:
    data = pack(
        statement("cr", stances=[{"member": "Bo", "position": "agree", "credence": credence}])
    )
    error = rejected(data)
    assert error.message == (
        "statement `cr` stance: credence must be a whole number from 0 to 100."
    )


@pytest.mark.parametrize("credence", [True, False])
def test_boolean_credence_is_invalid(credence: object) -> None:
    data = pack(
        statement("cr", stances=[{"member": "Bo", "position": "agree", "credence": credence}])
    )
    rejected(data)


@pytest.mark.parametrize("position", ["maybe", "Agree", "", None])
def test_invalid_position(position: str | None) -> None:
    data = pack(statement("pos", stances=[{"member": "Bo", "position": position}]))
    error = rejected(data)
    assert "statement `pos` stance" in error.message
    assert "position" in error.message


def test_stance_without_member() -> None:
    data = pack(statement("pos", stances=[{"position": "agree"}]))
    assert rejected(data).message == "statement `pos` stance: `member` is missing."


def test_two_stances_by_one_member_are_refused() -> None:
    stances = [{"member": "Bo", "position": "agree"}, {"member": "Bo", "position": "disagree"}]
    rejected(pack(statement("twice", stances=stances)))


def test_steelman_without_text() -> None:
    data = pack(statement("sm", steelmen=[{"author": "Bo"}]))
    assert rejected(data).message == "statement `sm` steelman: `text` is missing."


@pytest.mark.parametrize("where", ["text", "title", "author", "quote"])
def test_control_characters_in_statement_fields(where: str) -> None:
    error = rejected(pack(statement("ctl", **{where: "Bad \x07 bell \x00"})))
    assert error.message.startswith("statement `ctl`:")
    assert "control characters (U+0000, U+0007)" in error.message


def test_control_characters_in_steelman() -> None:
    data = pack(statement("ctl", steelmen=[{"text": "a\x1bb", "author": "Bo"}]))
    error = rejected(data)
    assert "statement `ctl` steelman" in error.message
    assert "U+001B" in error.message


def test_tabs_and_newlines_are_not_control_characters() -> None:
    parsed = parse_pack(pack(statement("ok", text="Line one.\n\tLine two.")))
    assert parsed.statements[-1].text == "Line one.\n\tLine two."


def test_over_long_text() -> None:
    error = rejected(pack(statement("long", text="x" * (TEXT_MAX + 1))))
    assert error.message.startswith("statement `long`: The `text` is 4,001 characters long")
    assert "the limit is 4,000" in error.message


def test_over_long_title() -> None:
    error = rejected(pack(statement("long", title="t" * (TITLE_MAX + 1))))
    assert "statement `long`" in error.message
    assert f"the limit is {TITLE_MAX}" in error.message


def test_over_long_reading_title() -> None:
    data = pack()
    data["reading"]["title"] = "t" * 301
    assert "the limit is 300" in rejected(data).message


def test_source_must_be_a_mapping() -> None:
    assert "mapping" in rejected(pack(statement("src", source="https://example.org"))).message


@pytest.mark.parametrize(
    "data",
    [
        pack(statement("Bad Slug")),
        pack(statement("x" * (SLUG_MAX + 1))),
        pack(statement("fine", aliases=["bad alias"])),
        pack(statement("o2", "objection", target="Bad Target!")),
        {"pack": 1, "reading": {"slug": "bad reading", "title": "R"}},
    ],
    ids=["slug", "long-slug", "alias", "target", "reading-slug"],
)
def test_invalid_slug_is_a_pack_error_that_names_the_place(data: object) -> None:
    error = rejected(data)
    assert "statement" in error.message or "reading" in error.message


def test_aliases_given_as_a_string() -> None:
    data = pack(statement("al", aliases="xyz"))
    try:
        parsed = parse_pack(data)
    except PackError:
        return
    assert parsed.statements[-1].aliases == ("xyz",)
