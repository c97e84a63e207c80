"""Read a typed command line (`/objection lag text to:claim`) against the spec.

The grammar: the command name, then positional options in spec order, the last
TEXT option taking the rest of the line (newlines kept), and keyword options
written `name:value` anywhere. Optional WORD options are skipped when the word
is not one of their choices, so `/list open` works without a kind.

`coerce` is shared with adapters whose platforms deliver options already split
(Discord and Slack), so every entry point validates values the same way.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.commands.spec import COMMANDS_BY_NAME, CommandSpec, OptionKind, OptionSpec
from bot.domain import KINDS, article, printable, validate_slug
from bot.errors import UserError

ArgValue = str | int

#: Commands that show a statement by slug, or log one when given text.
LOGGING_COMMANDS = frozenset(KINDS)
_TOKEN = re.compile(r"\S+")
_KEYWORD = re.compile(r"^([a-z_]+):(\S+)$", re.IGNORECASE)
#: `--page 2` or `--page=2`, the command-line way of writing `page:2`.
_PAGE_FLAG = re.compile(r"--page(?:=(\S+))?", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedCommand:
    """A command name and its validated arguments, keyed by option name."""

    name: str
    args: dict[str, ArgValue] = field(default_factory=dict)


class UsageError(UserError):
    """The line does not fit the command's grammar; the hint shows the usage."""


def split_command(line: str) -> tuple[str, str]:
    """Split `/name rest…` into the lower-cased name and the untouched rest."""
    stripped = line.strip()
    if stripped.startswith("/"):
        stripped = stripped[1:]
    parts = re.split(r"\s", stripped, maxsplit=1)
    return parts[0].lower(), parts[1] if len(parts) > 1 else ""


def find_command(name: str) -> CommandSpec:
    """The spec for `name`, or a UserError suggesting the closest commands."""
    spec = COMMANDS_BY_NAME.get(name)
    if spec is not None:
        return spec
    close = difflib.get_close_matches(name, list(COMMANDS_BY_NAME), n=3, cutoff=0.6)
    suggestion = " Did you mean " + " or ".join(f"`/{c}`" for c in close) + "?" if close else ""
    raise UserError(
        f"There is no command `/{printable(name, 30)}`.{suggestion}",
        hint="Type /help for the list of commands.",
    )


def parse_line(line: str) -> ParsedCommand:
    """Parse a whole typed line.

    Raises:
        UserError: unknown command, or arguments that do not fit its grammar.
    """
    name, rest = split_command(line)
    if not name:
        raise UserError("Type a command, for example `/objection lag`.", hint="/help lists them.")
    spec = find_command(name)
    return ParsedCommand(spec.name, parse_arguments(spec, rest))


def parse_arguments(spec: CommandSpec, rest: str) -> dict[str, ArgValue]:
    """Bind the text after the command name to the command's options."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(rest)]
    keywords = {o.name: o for o in spec.options if o.keyword}
    args: dict[str, ArgValue] = {}
    remaining: list[tuple[int, int, str]] = []
    index = 0
    while index < len(tokens):
        start, end, token = tokens[index]
        index += 1
        match = _KEYWORD.match(token)
        name, value = (match.group(1), match.group(2)) if match else ("", "")
        flag = _PAGE_FLAG.fullmatch(token)
        if flag and "page" in keywords:
            # `--page 2` (or `--page=2`), as on a command line, means `page:2`.
            name, value = "page", flag.group(1) or ""
            if not value and index < len(tokens):
                value = tokens[index][2]
                index += 1
        option = keywords.get(name.lower()) if name else None
        if option is not None:
            if option.name in args:
                raise UsageError(f"`{option.name}:` is given twice.", hint=_usage_hint(spec))
            args[option.name] = coerce(option, value)
        else:
            remaining.append((start, end, token))

    position = 0
    for option in (o for o in spec.options if not o.keyword):
        if position >= len(remaining):
            break
        start, _, token = remaining[position]
        if option.kind is OptionKind.TEXT:
            args[option.name] = _rest_of_line(rest, remaining[position:])
            position = len(remaining)
            break
        if not option.required and not _fits(option, token):
            continue
        args[option.name] = coerce(option, token)
        position += 1

    if position < len(remaining):
        extra = printable(remaining[position][2], 40)
        raise UsageError(f"I did not expect `{extra}` there.", hint=_usage_hint(spec))
    missing = [o for o in spec.options if o.required and o.name not in args]
    if missing:
        raise UsageError(f"`/{spec.name}` needs {_describe(missing[0])}.", hint=_usage_hint(spec))
    _check_needed(spec, args)
    return args


def bind_arguments(spec: CommandSpec, raw_args: Mapping[str, str]) -> dict[str, ArgValue]:
    """Validate options a platform delivered already split (Discord, Slack, buttons).

    Empty values count as absent; unknown option names are refused. A statement
    logged from a form may leave its nickname empty: the core then picks one.
    """
    known = {o.name: o for o in spec.options}
    args: dict[str, ArgValue] = {}
    for name, raw in raw_args.items():
        option = known.get(name)
        if option is None:
            raise UsageError(
                f"`/{spec.name}` has no option `{printable(name, 30)}`.", hint=_usage_hint(spec)
            )
        if raw.strip():
            args[name] = coerce(option, raw)
    slug_from_text = spec.name in LOGGING_COMMANDS and "text" in args
    missing = [
        o
        for o in spec.options
        if o.required and o.name not in args and not (slug_from_text and o.name == "slug")
    ]
    if missing:
        raise UsageError(f"`/{spec.name}` needs {_describe(missing[0])}.", hint=_usage_hint(spec))
    _check_needed(spec, args)
    return args


def _check_needed(spec: CommandSpec, args: Mapping[str, ArgValue]) -> None:
    """Refuse, with the spec's reason, an option left out that another's value needs."""
    for option in spec.needed(args):
        if option.required_when is not None:
            raise UsageError(option.required_when.reason)


def coerce(option: OptionSpec, raw: str) -> ArgValue:
    """Validate one raw option value and convert it to its Python type."""
    if option.kind is OptionKind.SLUG:
        return validate_slug(raw, what=f"`{option.name}` nickname")
    if option.kind is OptionKind.WORD:
        word = raw.strip().lower()
        if option.choices and word not in option.choices:
            allowed = ", ".join(option.choices)
            raise UsageError(f"`{printable(raw, 30)}` is not a valid {option.name}: use {allowed}.")
        return word
    if option.kind is OptionKind.INTEGER:
        return _integer(option, raw)
    if option.kind is OptionKind.MEMBER:
        return _member(option, raw)
    if option.kind is OptionKind.CREDIT:
        return _credit(option, raw)
    return raw


def _credit(option: OptionSpec, raw: str) -> str:
    """A member to credit: `<@id>` for a platform mention, else the name as typed.

    A mention's label (`<@U123|ann>`) is dropped: the platform's name for the
    member comes with the caller (`Caller.member_names`), not from the text.
    """
    text = raw.strip()
    mention = re.fullmatch(r"<@!?([A-Za-z0-9_.-]{1,64})(?:\|[^>]*)?>", text)
    if mention:
        return f"<@{mention.group(1)}>"
    name = text.removeprefix("@")
    if not re.fullmatch(r"[\w.'-]{1,40}", name):
        raise UsageError(
            f"`{printable(raw, 30)}` is not a member for `{option.name}:`; mention them "
            "(@name) or, in the console, type their name.",
        )
    return name


def _member(option: OptionSpec, raw: str) -> str:
    """A user id, typed as is or as a platform mention (`<@123>`, `<@U123|ann>`)."""
    text = raw.strip()
    mention = re.fullmatch(r"<@!?([A-Za-z0-9_.-]+)(?:\|[^>]*)?>", text)
    member = mention.group(1) if mention else text
    if not re.fullmatch(r"[A-Za-z0-9_.:-]{1,64}", member):
        raise UsageError(
            f"`{printable(raw, 30)}` is not a member id; mention them or paste "
            f"their id for `{option.name}:`."
        )
    return member


def _integer(option: OptionSpec, raw: str) -> int:
    text = raw.strip().removesuffix("%")
    if not re.fullmatch(r"[+-]?\d{1,9}", text):
        raise UsageError(f"The {option.name} must be a whole number, not `{printable(raw, 30)}`.")
    value = int(text)
    low, high = option.minimum, option.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        raise UsageError(f"The {option.name} must be between {low} and {high}.")
    return value


def _fits(option: OptionSpec, token: str) -> bool:
    """Whether an optional positional option would accept this token."""
    if option.kind is OptionKind.WORD:
        return not option.choices or token.lower() in option.choices
    if option.kind is OptionKind.INTEGER:
        return re.fullmatch(r"[+-]?\d{1,9}%?", token) is not None
    return True


def _rest_of_line(rest: str, tokens: list[tuple[int, int, str]]) -> str:
    """The original text from the first remaining token on, minus keyword options."""
    pieces: list[str] = []
    for index, (start, end, _) in enumerate(tokens):
        pieces.append(rest[start:end])
        if index + 1 < len(tokens):
            gap = rest[end : tokens[index + 1][0]]
            pieces.append(gap if not gap.strip() else " ")
    return "".join(pieces)


def _describe(option: OptionSpec) -> str:
    if option.keyword:
        return f"`{option.name}:` ({option.description})"
    return f"{article(option.name)} {option.name} ({option.description})"


def _usage_hint(spec: CommandSpec) -> str:
    example = spec.examples[-1][0] if spec.examples else ""
    return f"Usage: {spec.usage}" + (f"  e.g. {example}" if example else "")
