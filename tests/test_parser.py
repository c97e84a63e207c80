"""The typed-command parser: `parse_line`, `parse_arguments` and `coerce`."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.commands.parser import ParsedCommand, UsageError, coerce, parse_arguments, parse_line
from bot.commands.spec import COMMANDS, COMMANDS_BY_NAME, OptionKind, OptionSpec
from bot.domain import SLUG_MAX
from bot.errors import UserError

OBJECTION = COMMANDS_BY_NAME["objection"]
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


def user_error(line: str) -> UserError:
    """The UserError `line` raises (fails the test if it parses)."""
    with pytest.raises(UserError) as info:
        parse_line(line)
    return info.value


# ------------------------------------------------------------ the canonical lines


def test_show_objection_by_slug() -> None:
    assert parse_line("/objection lag") == ParsedCommand("objection", {"slug": "lag"})


def test_show_best_steelman() -> None:
    assert parse_line("/steelman blank-slate") == ParsedCommand("steelman", {"slug": "blank-slate"})


def test_log_objection_with_text_and_target() -> None:
    line = (
        "/objection evals-gap Interpretability may not scale to frontier models to:mvp-researcher"
    )
    parsed = parse_line(line)
    assert parsed.name == "objection"
    assert parsed.args == {
        "slug": "evals-gap",
        "text": "Interpretability may not scale to frontier models",
        "to": "mvp-researcher",
    }


def test_leading_slash_is_optional_and_command_name_is_case_insensitive() -> None:
    assert parse_line("objection lag") == parse_line("/objection lag")
    assert parse_line("  /OBJECTION lag  ") == ParsedCommand("objection", {"slug": "lag"})


# ------------------------------------------------------------ keyword options


@pytest.mark.parametrize(
    "line",
    [
        "/objection to:mvp-researcher evals-gap It may not scale",
        "/objection evals-gap to:mvp-researcher It may not scale",
        "/objection evals-gap It may to:mvp-researcher not scale",
        "/objection evals-gap It may not scale to:mvp-researcher",
        "/objection evals-gap It may not scale TO:MVP-Researcher",
    ],
)
def test_keyword_option_anywhere_on_the_line(line: str) -> None:
    assert parse_line(line).args == {
        "slug": "evals-gap",
        "text": "It may not scale",
        "to": "mvp-researcher",
    }


def test_keyword_options_in_any_order_with_positionals() -> None:
    parsed = parse_line("/list page:2 replies to:lag open")
    assert parsed == ParsedCommand(
        "list", {"kind": "replies", "status": "open", "to": "lag", "page": 2}
    )


def test_keyword_of_another_command_stays_in_the_text() -> None:
    # `page:` is not an option of /claim, so it is part of the text.
    parsed = parse_line("/claim big-claim As argued on page:3 of the book")
    assert parsed.args == {"slug": "big-claim", "text": "As argued on page:3 of the book"}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/list --page 2", {"page": 2}),
        ("/list objections --PAGE=3", {"kind": "objections", "page": 3}),
        ("/search alignment lag --page 2", {"words": "alignment lag", "page": 2}),
        ("/search alignment --page=2 lag", {"words": "alignment lag", "page": 2}),
        ("/history lag --page 4", {"slug": "lag", "page": 4}),
    ],
)
def test_page_may_be_written_as_a_command_line_flag(line: str, expected: dict[str, object]) -> None:
    assert parse_line(line).args == expected


def test_a_page_flag_needs_a_number_and_only_pages_take_it() -> None:
    with pytest.raises(UsageError, match="page must be a whole number"):
        parse_line("/list --page")
    with pytest.raises(UsageError, match="given twice"):
        parse_line("/list page:2 --page 3")
    logged = parse_line("/objection flagged Type --page 2 to page on. to:lag")
    assert logged.args["text"] == "Type --page 2 to page on."


def test_url_in_text_is_not_a_keyword() -> None:
    parsed = parse_line("/objection lag See https://example.org/x for more")
    assert parsed.args["text"] == "See https://example.org/x for more"
    assert "to" not in parsed.args


def test_duplicate_keyword_is_refused() -> None:
    error = user_error("/objection lag Some text to:claim-a to:claim-b")
    assert isinstance(error, UsageError)
    assert "`to:` is given twice" in error.message
    assert "/objection <slug>" in error.hint


def test_invalid_keyword_value_is_refused() -> None:
    error = user_error("/objection lag Some text to:Not_A_Slug")
    assert "not a valid" in error.message
    assert "`to` nickname" in error.message


# ------------------------------------------------------------ free text


def test_text_keeps_inner_whitespace_and_newlines_exactly() -> None:
    text = "First line  with  double spaces.\n\n  Indented second paragraph.\n\tTabbed\tline"
    parsed = parse_line(f"/objection lag {text}")
    assert parsed.args["text"] == text


def test_text_on_the_next_line() -> None:
    parsed = parse_line("/objection lag\nThe objection itself,\non two lines.")
    assert parsed.args == {"slug": "lag", "text": "The objection itself,\non two lines."}


def test_newline_straight_after_the_command_name() -> None:
    parsed = parse_line("/objection\nlag Some text")
    assert parsed == ParsedCommand("objection", {"slug": "lag", "text": "Some text"})


def test_surrounding_whitespace_of_text_is_dropped() -> None:
    parsed = parse_line("/objection lag   \n  Some text.  \n ")
    assert parsed.args["text"] == "Some text."


def test_keyword_inside_text_leaves_a_single_space() -> None:
    parsed = parse_line("/objection lag first half to:claim second half")
    assert parsed.args == {"slug": "lag", "text": "first half second half", "to": "claim"}


def test_text_that_is_only_a_keyword_is_no_text() -> None:
    parsed = parse_line("/objection lag   to:claim   ")
    assert parsed.args == {"slug": "lag", "to": "claim"}


def test_required_text_takes_the_rest_of_the_line() -> None:
    parsed = parse_line("/search  alignment  tax ")
    assert parsed.args == {"words": "alignment  tax"}


# ------------------------------------------------------------ slugs


def test_slugs_are_case_insensitive() -> None:
    assert parse_line("/objection LAG").args == {"slug": "lag"}
    assert parse_line("/alias Lag Alignment-LAG").args == {"slug": "lag", "alias": "alignment-lag"}


@pytest.mark.parametrize(
    "bad", ["bad_slug", "two--hyphens", "-leading", "trailing-", "émigré", "lag!", "a.b"]
)
def test_invalid_slug_characters_are_refused(bad: str) -> None:
    error = user_error(f"/objection {bad}")
    assert "is not a valid" in error.message
    assert "lowercase letters, digits and single hyphens" in error.message


def test_slug_of_exactly_the_limit_is_accepted() -> None:
    slug = "a" * SLUG_MAX
    assert parse_line(f"/objection {slug}").args == {"slug": slug}


def test_slug_over_the_limit_is_refused_with_the_limit() -> None:
    error = user_error(f"/objection {'a' * (SLUG_MAX + 1)}")
    assert f"{SLUG_MAX + 1} characters long" in error.message
    assert f"the limit is {SLUG_MAX}" in error.message


def test_slug_over_the_limit_does_not_echo_control_characters() -> None:
    error = user_error("/objection a" + "\x07" * SLUG_MAX)
    assert not any(unicodedata.category(ch) == "Cc" for ch in error.message)


# ------------------------------------------------------------ positional options


def test_optional_word_is_skipped_when_it_does_not_match() -> None:
    assert parse_line("/list open").args == {"status": "open"}
    assert parse_line("/list objections").args == {"kind": "objections"}
    assert parse_line("/list Objections OPEN").args == {"kind": "objections", "status": "open"}


def test_word_choices_are_case_insensitive() -> None:
    assert parse_line("/status lag Answered").args == {"slug": "lag", "status": "answered"}


def test_required_word_not_among_choices_lists_the_choices() -> None:
    error = user_error("/status lag maybe")
    assert isinstance(error, UsageError)
    assert "`maybe` is not a valid status" in error.message
    assert "open, answered, conceded" in error.message


def test_optional_slug_after_required_word() -> None:
    parsed = parse_line("/status lag duplicate endgame")
    assert parsed.args == {"slug": "lag", "status": "duplicate", "of": "endgame"}


@pytest.mark.parametrize(("raw", "value"), [("70", 70), ("70%", 70), ("0", 0), ("100%", 100)])
def test_credence(raw: str, value: int) -> None:
    assert parse_line(f"/agree lag {raw}").args == {"slug": "lag", "credence": value}


def test_credence_is_optional() -> None:
    assert parse_line("/unsure lag").args == {"slug": "lag"}


@pytest.mark.parametrize("raw", ["101", "150%", "-1"])
def test_out_of_range_credence_is_refused(raw: str) -> None:
    error = user_error(f"/agree lag {raw}")
    assert isinstance(error, UsageError)
    assert "credence must be between 0 and 100" in error.message


def test_word_where_credence_goes_is_unexpected() -> None:
    error = user_error("/agree lag likely")
    assert "I did not expect `likely` there." in error.message
    assert error.hint.startswith("Usage: /agree <slug> [credence]")


def test_unexpected_extra_word() -> None:
    error = user_error("/delete lag now")
    assert isinstance(error, UsageError)
    assert error.message == "I did not expect `now` there."
    assert error.hint.startswith("Usage: /delete <slug>")


def test_missing_required_option() -> None:
    error = user_error("/endorse lag")
    assert isinstance(error, UsageError)
    assert "`/endorse` needs a number" in error.message
    assert "Usage: /endorse <slug> <number>" in error.hint


def test_missing_required_slug() -> None:
    error = user_error("/objection")
    assert "`/objection` needs a slug" in error.message


def test_missing_required_keyword_is_named_with_colon() -> None:
    option = OptionSpec("to", OptionKind.SLUG, "the target", True, keyword=True)
    strict = dataclasses.replace(OBJECTION, options=(OBJECTION.option("slug"), option))
    with pytest.raises(UsageError, match=r"needs `to:` \(the target\)"):
        parse_arguments(strict, "lag")


def test_endorse_number_must_be_a_whole_number() -> None:
    error = user_error("/endorse lag 0")
    assert "number must be between 1 and 10000" in error.message


# ------------------------------------------------------------ unknown and empty lines


def test_unknown_command_suggests_the_closest() -> None:
    error = user_error("/objectoin lag")
    assert "There is no command `/objectoin`." in error.message
    assert "Did you mean `/objection`?" in error.message
    assert "/help" in error.hint


def test_unknown_command_without_a_close_match() -> None:
    error = user_error("/xyzzy")
    assert "There is no command `/xyzzy`." in error.message
    assert "Did you mean" not in error.message


def test_unknown_command_name_is_echoed_safely() -> None:
    error = user_error("/\x07" + "q" * 100)
    assert "\x07" not in error.message
    assert len(error.message) < 120


@pytest.mark.parametrize("line", ["", "   ", "/", " / ", "\n\n"])
def test_empty_line(line: str) -> None:
    error = user_error(line)
    assert "Type a command" in error.message


def test_tab_after_the_command_name() -> None:
    assert parse_line("/objection\tlag") == ParsedCommand("objection", {"slug": "lag"})


# ------------------------------------------------------------ coerce


def test_coerce_slug_normalises() -> None:
    assert coerce(OBJECTION.option("slug"), "  LAG ") == "lag"


def test_coerce_text_is_returned_untouched() -> None:
    raw = "  Mixed CASE\n text  "
    assert coerce(OBJECTION.option("text"), raw) == raw


def test_coerce_word() -> None:
    status = COMMANDS_BY_NAME["status"].option("status")
    assert coerce(status, " Parked ") == "parked"
    with pytest.raises(UsageError, match="not a valid status"):
        coerce(status, "closed")


def test_coerce_word_without_choices_accepts_any_word() -> None:
    assert coerce(COMMANDS_BY_NAME["help"].option("command"), "Objection") == "objection"


@pytest.mark.parametrize("raw", ["abc", "1.5", "", "1234567890", "7 0"])
def test_coerce_integer_refuses_non_numbers(raw: str) -> None:
    credence = COMMANDS_BY_NAME["agree"].option("credence")
    with pytest.raises(UsageError, match="credence must be a whole number"):
        coerce(credence, raw)


def test_coerce_integer_accepts_percent_and_sign() -> None:
    credence = COMMANDS_BY_NAME["agree"].option("credence")
    assert coerce(credence, "55%") == 55
    assert coerce(credence, "+5") == 5


def test_parse_arguments_directly() -> None:
    assert parse_arguments(COMMANDS_BY_NAME["agree"], "lag 70%") == {"slug": "lag", "credence": 70}
    assert parse_arguments(COMMANDS_BY_NAME["reading"], "") == {}


# ------------------------------------------------------------ properties

COMMAND_NAMES = [command.name for command in COMMANDS]


@PROPERTY_SETTINGS
@given(st.text())
def test_any_line_parses_or_raises_user_error(line: str) -> None:
    try:
        result = parse_line(line)
    except UserError as error:
        assert error.message
    else:
        assert isinstance(result, ParsedCommand)
        assert result.name in COMMANDS_BY_NAME


@PROPERTY_SETTINGS
@given(
    st.sampled_from(COMMAND_NAMES),
    st.sampled_from([" ", "\n", "  "]),
    st.one_of(
        st.text(),
        st.text(alphabet=st.characters(codec="ascii")),
        st.text(min_size=3000, max_size=6000),
        st.lists(
            st.sampled_from(["lag", "LAG", "70%", "to:lag", "to:", "page:0", "open", "x" * 50]),
        ).map(" ".join),
    ),
)
def test_any_arguments_parse_or_raise_user_error(name: str, separator: str, rest: str) -> None:
    try:
        result = parse_line(f"/{name}{separator}{rest}")
    except UserError as error:
        assert error.message
    else:
        assert result.name == name
        spec = COMMANDS_BY_NAME[name]
        assert set(result.args) <= {option.name for option in spec.options}
        assert all(option.name in result.args for option in spec.options if option.required)


SLUGS = st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,2}", fullmatch=True)
_KEYWORD_LOOKING = re.compile(r"^[A-Za-z_]+:\S+$")


def _no_keyword_tokens(text: str) -> bool:
    return not any(_KEYWORD_LOOKING.match(token) for token in text.split())


@PROPERTY_SETTINGS
@given(SLUGS, st.text().filter(_no_keyword_tokens))
def test_objection_round_trips(slug: str, text: str) -> None:
    parsed = parse_line(f"/objection {slug} {text}")
    assert parsed.name == "objection"
    assert parsed.args["slug"] == slug
    if text.strip():
        assert parsed.args["text"] == text.strip()
    else:
        assert "text" not in parsed.args
    assert "to" not in parsed.args


@PROPERTY_SETTINGS
@given(SLUGS, st.text().filter(_no_keyword_tokens), SLUGS)
def test_objection_round_trips_with_target_at_the_end(slug: str, text: str, target: str) -> None:
    parsed = parse_line(f"/objection {slug} {text} to:{target}")
    assert parsed.args["slug"] == slug
    assert parsed.args["to"] == target
    assert parsed.args.get("text", "") == text.strip()


EXAMPLES = [(command.name, line) for command in COMMANDS for line, _ in command.examples]


@pytest.mark.parametrize(("name", "line"), EXAMPLES, ids=[line for _, line in EXAMPLES])
def test_every_spec_example_parses(name: str, line: str) -> None:
    parsed = parse_line(line)
    assert parsed.name == name
