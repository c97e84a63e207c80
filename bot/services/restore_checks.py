"""What the rows of an imported file mean together, checked before anything is written.

A file from elsewhere is untrusted input. Each field was checked, and each
nickname and reference read as a typed one is, when the file was read
(bot/formats/json_rows.py, which the Kialo and Argdown readers use too); here
references, kinds, statuses and positions are checked across the whole file.
The error names the section, the item and the field, so a member can fix the
file; the writer (bot/storage/snapshot_writer.py) relies on what is checked.
"""

from __future__ import annotations

from bot.domain import ALLOWED_TARGETS, KINDS, POSITIONS, STATUSES, article
from bot.formats.json_rows import ExportFormatError
from bot.storage.snapshot_rows import MapSnapshot

#: What an action row may be.
ACTION_KINDS = ("action", "decision")


def _kinds(snapshot: MapSnapshot) -> dict[str, str]:
    """Each nickname and merged statement's ref, with its statement's kind; vocabularies checked."""
    reading_slugs = {r.slug for r in snapshot.readings}
    kinds: dict[str, str] = {}
    for index, item in enumerate(snapshot.statements):
        where = f"statements[{index}] `{item.slug}`"
        if item.kind not in KINDS:
            raise ExportFormatError(f"{where}: kind must be one of {', '.join(KINDS)}.")
        if item.status not in STATUSES:
            raise ExportFormatError(f"{where}: status must be one of {', '.join(STATUSES)}.")
        for name in item.nicknames:
            if name in kinds:
                raise ExportFormatError(f"{where}: the nickname `{name}` is used twice.")
            kinds[name] = item.kind
        if item.merged and item.ref is not None:
            if item.ref in kinds:
                raise ExportFormatError(f"{where}: the ref `{item.ref}` is used twice.")
            kinds[item.ref] = item.kind
        if item.reading is not None and item.reading not in reading_slugs:
            raise ExportFormatError(f"{where}: unknown reading `{item.reading}`.")
        if not item.text.strip():
            raise ExportFormatError(f"{where}: `text` is missing.")
    return kinds


def _check_links(snapshot: MapSnapshot, kinds: dict[str, str]) -> None:
    """What each statement answers or duplicates exists, and may be answered by its kind."""
    for index, item in enumerate(snapshot.statements):
        where = f"statements[{index}] `{item.slug}`"
        for key, value in (("target", item.target), ("duplicate_of", item.duplicate_of)):
            if value is not None and value not in kinds:
                raise ExportFormatError(f"{where}: `{key}` names unknown `{value}`.")
        target = item.target
        if target is not None and kinds[target] not in ALLOWED_TARGETS[item.kind]:
            kind, other = item.kind, kinds[target]
            raise ExportFormatError(
                f"{where}: {article(kind)} {kind} cannot answer {article(other)} {other}."
            )


def check(snapshot: MapSnapshot) -> None:
    """Validate references and vocabularies of a file's snapshot before any write."""
    kinds = _kinds(snapshot)
    _check_links(snapshot, kinds)
    about: list[tuple[str, int, str, str | None]] = [
        *(("steelmen", i, "statement", row.statement) for i, row in enumerate(snapshot.steelmen)),
        *(("stances", i, "statement", row.statement) for i, row in enumerate(snapshot.stances)),
    ]
    for i, crux in enumerate(snapshot.cruxes):
        about += [("cruxes", i, "statement", crux.statement), ("cruxes", i, "belief", crux.belief)]
    for section, index, key, value in about:
        if value not in kinds:
            raise ExportFormatError(f"{section}[{index}]: unknown `{key}` {value!r}.")
    for index, action in enumerate(snapshot.actions):
        if action.kind not in ACTION_KINDS:
            raise ExportFormatError(f"actions[{index}]: kind must be action or decision.")
        if not action.text.strip():
            raise ExportFormatError(f"actions[{index}]: the text is empty.")
    for index, stance in enumerate(snapshot.stances):
        if stance.position not in POSITIONS:
            raise ExportFormatError(
                f"stances[{index}]: position must be agree, disagree or unsure."
            )
