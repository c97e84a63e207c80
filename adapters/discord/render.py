"""A core `Reply` as a Discord embed with buttons, always within Discord's limits.

Discord rejects a whole message when one part is too long, so every piece is
cut to its limit with a visible "…", and the embed as a whole is kept under
6000 characters by shortening the body first and then dropping trailing
fields. Nothing here can ping anyone: user text only ever goes into embeds,
and every message is sent with `NO_MENTIONS` as well. Nor can stored text
make a masked link (`[Verify](https://evil.example)`), which Discord would
show as the bot's own link reading "Verify" (see `no_masked_links`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import discord

from bot.commands.actions import encode_action
from bot.render.clip import clip
from bot.render.palette import accent_swatch
from bot.render.reply import Action, Link, Reply

#: Sent with every message: `@everyone`, roles and users in stored text stay inert.
NO_MENTIONS = discord.AllowedMentions.none()

MESSAGE_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
BUTTON_LABEL_MAX = 80
BUTTONS_MAX = 25
#: The body is never shortened below this to make room for fields.
BODY_FLOOR = 200
MARKER = "…"
#: Upload limit when the channel's is unknown (Discord's smallest).
DEFAULT_FILE_LIMIT = 8 * 1024 * 1024

_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


def no_masked_links(text: str) -> str:
    """`text` with every `[label](address)` shown as typed rather than as a link.

    Discord makes a masked link only of `](` side by side; `]\\(` reads as the
    same characters (a backslash before punctuation is not shown) but links
    nothing. Replies carry member text mixed with the core's own Markdown
    (bold, code), and the core never writes a masked link, so every `](` is
    a member's and escaping it alone leaves the rest of the formatting intact.
    """
    return text.replace("](", "]\\(")


@dataclass(frozen=True)
class Rendered:
    """What to send for a reply: keyword arguments for discord.py's send calls."""

    embed: discord.Embed
    view: discord.ui.View | None
    ephemeral: bool
    file: discord.File | None = None


def colour_for(reply: Reply) -> int:
    """The embed colour for a reply's accent: the core's palette, as on the map."""
    return accent_swatch(reply.accent, reply.error).rgb


def build_embed(reply: Reply) -> discord.Embed:
    """The reply as one embed that Discord accepts, whatever its length."""
    title = clip(no_masked_links(" ".join(reply.title.split())), TITLE_MAX)
    body = clip(no_masked_links(reply.body), DESCRIPTION_MAX)
    if not title and not body:
        body = "Done."
    fields = [
        (
            clip(no_masked_links(field.name), FIELD_NAME_MAX) or "\u200b",
            clip(no_masked_links(field.value), FIELD_VALUE_MAX) or "\u200b",
            field.inline,
        )
        for field in reply.fields
    ]
    if len(fields) > FIELDS_MAX:
        hidden = len(fields) - FIELDS_MAX + 1
        fields = [*fields[: FIELDS_MAX - 1], (MARKER, f"{hidden} more not shown", False)]
    footer = clip(reply.footer, FOOTER_MAX)
    title, body, fields, footer = _fit_total(title, body, fields, footer)
    embed = discord.Embed(title=title or None, description=body or None, colour=colour_for(reply))
    for name, value, inline in fields:
        embed.add_field(name=name, value=value, inline=inline)
    if footer:
        embed.set_footer(text=footer)
    return embed


Fields = list[tuple[str, str, bool]]


def _fit_total(title: str, body: str, fields: Fields, footer: str) -> tuple[str, str, Fields, str]:
    def total() -> int:
        return len(title) + len(body) + len(footer) + sum(len(n) + len(v) for n, v, _ in fields)

    dropped = 0
    while total() > EMBED_TOTAL_MAX:
        excess = total() - EMBED_TOTAL_MAX
        if len(body) > BODY_FLOOR:
            body = clip(body, max(BODY_FLOOR, len(body) - excess))
        elif fields:
            fields = fields[:-1]
            dropped += 1
        elif len(footer) > 1:
            footer = clip(footer, max(1, len(footer) - excess))
        else:
            title = clip(title, max(1, len(title) - excess))
    if dropped:
        note = (MARKER, f"{dropped} more not shown", False)
        if total() + len(note[0]) + len(note[1]) <= EMBED_TOTAL_MAX and len(fields) < FIELDS_MAX:
            fields.append(note)
    return title, body, fields, footer


def build_view(actions: tuple[Action, ...], link: Link | None = None) -> discord.ui.View | None:
    """Buttons for the reply's actions, or None when it has none.

    The view is stopped before it is sent: presses are routed by custom id in
    `interactions`, so discord.py need not keep every view in memory.
    """
    buttons: list[discord.ui.Button[discord.ui.View]] = []
    for action in actions[:BUTTONS_MAX]:
        try:
            custom_id = encode_action(action)
        except ValueError:
            continue  # an argument that cannot travel in a button id: typing still works
        buttons.append(
            discord.ui.Button(
                label=clip(action.label, BUTTON_LABEL_MAX),
                custom_id=custom_id,
                style=_STYLES.get(action.style, discord.ButtonStyle.secondary),
            )
        )
    if link is not None:  # a link button opens the page; Discord sends the bot nothing
        buttons = buttons[: BUTTONS_MAX - 1]
        buttons.append(discord.ui.Button(label=clip(link.label, BUTTON_LABEL_MAX), url=link.url))
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons:
        view.add_item(button)
    view.stop()
    return view


def _upload(reply: Reply) -> tuple[str, bytes, str] | None:
    """(file name, bytes, description) of the reply's file, if it has one."""
    if reply.attachment is not None:  # an export, an argument map
        attached = reply.attachment
        return attached.filename, attached.content, attached.description
    return None


def render(reply: Reply, file_limit: int = DEFAULT_FILE_LIMIT) -> Rendered:
    """Everything needed to send `reply` to Discord.

    A file larger than the channel accepts is left out, with a note saying so,
    rather than having Discord reject the whole answer.
    """
    embed = build_embed(reply)
    file = None
    upload = _upload(reply)
    if upload is not None:
        name, content, description = upload
        if len(content) > file_limit:
            note = f"The file {name} is too large to post here; `cruxbot export` writes it."
            footer = f"{embed.footer.text}\n{note}" if embed.footer.text else note
            embed.set_footer(text=clip(footer, FOOTER_MAX))
        else:
            file = discord.File(io.BytesIO(content), filename=name, description=description or None)
            if name.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".webp")):
                embed.set_image(url=f"attachment://{name}")
    return Rendered(embed, build_view(reply.buttons, reply.link), reply.ephemeral, file)
