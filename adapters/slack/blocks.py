"""Core Replies as Block Kit, always within Slack's limits.

Every block is built with slack_sdk's models, so Slack's own validation runs
before anything is sent. Limits (3000 characters a section, 10 fields of 2000,
75 characters a button label, 50 blocks a message, 100 in modals and App Home)
are met by splitting long text over sections and then cutting with a visible
"…"; a reply is never rejected for its size.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from adapters.slack.mrkdwn import clip, escape, plain, split, to_mrkdwn
from adapters.slack.names import in_slack_words
from bot.commands.actions import action_line, encode_action
from bot.commands.forms import action_form
from bot.domain import STATUSES
from bot.render.palette import STATUS_SWATCHES
from bot.render.reply import Action, Field, Reply

log = logging.getLogger(__name__)

MESSAGE_BLOCKS = 50
SURFACE_BLOCKS = 100  # modals and App Home
SECTION_TEXT = 3000
FIELD_TEXT = 2000
FIELDS_PER_SECTION = 10
BUTTON_TEXT = 75
ACTION_ELEMENTS = 25
FALLBACK_TEXT = 3000
MODAL_TITLE = 24
INPUT_TEXT = 3000
INPUT_LABEL = 2000
#: The callback id of every modal that runs a command when submitted.
MODAL_CALLBACK = "cx_modal"
#: The action id of the one input in each modal input block (its block id is the option name).
INPUT_ACTION = "value"

_BUTTON_STYLE = {"primary": "primary", "success": "primary", "danger": "danger"}
TRUNCATED = "…more than fits in one Slack message; narrow the command or use `page:`."


def _mrkdwn(text: str, limit: int = SECTION_TEXT) -> MarkdownTextObject:
    # verbatim: Slack must not look for mentions or channel names on its own.
    return MarkdownTextObject(text=clip(text, limit), verbatim=True)


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=_mrkdwn(text))


def _field_text(field: Field) -> str:
    return f"*{escape(field.name)}*\n{to_mrkdwn(field.value)}"


def _field_blocks(fields: Sequence[Field]) -> list[Block]:
    blocks: list[Block] = []
    inline: list[Field] = []

    def flush() -> None:
        for start in range(0, len(inline), FIELDS_PER_SECTION):
            chunk = inline[start : start + FIELDS_PER_SECTION]
            blocks.append(SectionBlock(fields=[_mrkdwn(_field_text(f), FIELD_TEXT) for f in chunk]))
        inline.clear()

    for field in fields:
        if field.inline:
            inline.append(field)
        else:
            flush()
            blocks.append(_section(_field_text(field)))
    flush()
    return blocks


#: The action id of the "Open on the web" url button (its press needs no answer).
WEB_LINK_ACTION = "web-link"


def status_menu_action(slug: str) -> Action:
    """The action behind a statement's status menu: the chosen status is merged in."""
    return Action("Status", "status", (("slug", slug),), ask=("status",))


def _status_marker(reply: Reply) -> str:
    """A square in the status's colour before a statement's title, as on the map.

    Block Kit has no coloured text or border: the core palette's nearest emoji
    is the one way to show the same colour as the map and the Discord embed.
    """
    if reply.shows is None or reply.shows.status not in STATUS_SWATCHES:
        return ""
    return STATUS_SWATCHES[reply.shows.status].emoji + " "


def _status_menu(reply: Reply) -> OverflowMenuElement | None:
    """An overflow menu of the other statuses, for replies that show one statement."""
    if reply.shows is None:
        return None
    choices = [s for s in STATUSES if s != reply.shows.status][:5]
    options = [Option(value=status, text=f"Mark {status}") for status in choices]
    return OverflowMenuElement(
        action_id=encode_action(status_menu_action(reply.shows.slug)), options=options
    )


def _link_button(reply: Reply) -> ButtonElement | None:
    """A url button to the reply's web page: Slack opens it; the app only acknowledges."""
    if reply.link is None:
        return None
    return ButtonElement(
        text=PlainTextObject(text=plain(reply.link.label, BUTTON_TEXT), emoji=False),
        action_id=WEB_LINK_ACTION,
        url=reply.link.url,
    )


def _actions_block(reply: Reply) -> ActionsBlock | None:
    elements: list[ButtonElement | OverflowMenuElement] = []
    link = _link_button(reply)
    room = ACTION_ELEMENTS - 1 - (link is not None)
    for action in reply.buttons[:room]:
        try:
            encoded = encode_action(action)
        except ValueError:  # an argument that cannot travel in a button: leave it out
            log.warning("button %r left out: it cannot be encoded", action.label)
            continue
        elements.append(
            ButtonElement(
                text=PlainTextObject(text=plain(action.label, BUTTON_TEXT), emoji=False),
                action_id=encoded,
                value=encoded,
                style=_BUTTON_STYLE.get(action.style),
            )
        )
    menu = _status_menu(reply)
    if menu is not None:
        elements.append(menu)
    if link is not None:
        elements.append(link)
    return ActionsBlock(elements=elements) if elements else None


def reply_blocks(reply: Reply, max_blocks: int = MESSAGE_BLOCKS) -> list[Block]:
    """The reply as blocks: title, body sections, fields, buttons, footer."""
    reply = in_slack_words(reply)
    content: list[Block] = []
    if reply.title:
        content.append(_section(f"{_status_marker(reply)}*{to_mrkdwn(reply.title)}*"))
    if reply.body:
        body = to_mrkdwn(reply.body)
        if reply.error:
            body = ":warning: " + body
        content.extend(_section(piece) for piece in split(body, SECTION_TEXT) if piece.strip())
    content.extend(_field_blocks(reply.fields))
    tail: list[Block] = []
    actions = _actions_block(reply)
    if actions is not None:
        tail.append(actions)
    if reply.footer:
        tail.append(ContextBlock(elements=[_mrkdwn(to_mrkdwn(reply.footer))]))
    room = max(max_blocks - len(tail), 1)
    if len(content) > room:
        content = [*content[: room - 1], ContextBlock(elements=[_mrkdwn(TRUNCATED)])]
    return (content + tail)[:max_blocks]


def fallback_text(reply: Reply) -> str:
    """The notification text that accompanies the blocks (escaped like the rest)."""
    reply = in_slack_words(reply)
    words = reply.title or reply.body or reply.footer or "Cruxbot"
    return clip(to_mrkdwn(words.split("\n")[0]), FALLBACK_TEXT)


def message(reply: Reply) -> dict[str, Any]:
    """`text` and `blocks` for chat.postMessage, chat.postEphemeral or a response_url."""
    return {"text": fallback_text(reply), "blocks": [b.to_dict() for b in reply_blocks(reply)]}


def action_modal(action: Action, metadata: str, prefill: Mapping[str, str] | None = None) -> View:
    """A modal drawing the core's form for an action (what it asks for, then what it offers)."""
    form = action_form(action, prefill)
    blocks: list[Block] = [
        ContextBlock(elements=[_mrkdwn(f"`{escape(action_line(action))}`")]),
    ]
    for field in form.fields:
        element = PlainTextInputElement(
            action_id=INPUT_ACTION,
            multiline=field.long_text,
            max_length=min(field.max_length, INPUT_TEXT),
            initial_value=field.initial[:INPUT_TEXT] if field.initial else None,
        )
        blocks.append(
            InputBlock(
                block_id=field.name,
                label=PlainTextObject(text=plain(field.label, INPUT_LABEL), emoji=False),
                element=element,
                hint=PlainTextObject(text=plain(field.hint, 150), emoji=False),
                optional=not field.required,
            )
        )
    return View(
        type="modal",
        callback_id=MODAL_CALLBACK,
        title=PlainTextObject(text=plain(form.title, MODAL_TITLE), emoji=False),
        submit=PlainTextObject(text="Save"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=metadata,
        blocks=blocks,
    )


def modal_values(view: Mapping[str, Any]) -> dict[str, str]:
    """The non-empty values a submitted modal holds, by option name."""
    values: dict[str, str] = {}
    state = view.get("state", {}).get("values", {})
    for name, inputs in state.items():
        value = (inputs.get(INPUT_ACTION) or {}).get("value")
        if isinstance(value, str) and value.strip():
            values[name] = value
    return values


def home_view(replies: Sequence[Reply]) -> View:
    """The App Home tab: one part per reply, within 100 blocks in all."""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="Cruxbot", emoji=False)),
        ContextBlock(
            elements=[_mrkdwn("Type `/help` in any channel; `/objection lag` shows one.")]
        ),
    ]
    share = (SURFACE_BLOCKS - len(blocks)) // max(len(replies), 1)
    for reply in replies:
        blocks.append(DividerBlock())
        blocks.extend(reply_blocks(reply, share - 1))
    return View(type="home", blocks=blocks[:SURFACE_BLOCKS])
