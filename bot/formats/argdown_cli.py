"""Running the Argdown CLI on an uploaded file, safely and off the event loop.

Argdown's syntax is defined by its own parser, so Cruxbot asks the real one
(`argdown json`) rather than imitating it. The file comes from anyone in a
chat, so the CLI runs as an asyncio subprocess with a time limit, in an empty
temporary directory (no `argdown.config` of anyone else's is found), with a
minimal environment (no bot tokens), and with `@include(path)` turned off: it
would paste any file the bot can read into the map. The JSON goes to standard
output and nowhere else: the list of steps (and so whether a file is written)
is fixed before the file's front matter is read, so its settings (such as
`removeTagsFromText`) mean what the author meant and cannot reach the disk.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
from pathlib import Path

from bot.errors import UserError

#: An Argdown file within the import limit takes about a second; a minute means trouble.
TIMEOUT_SECONDS = 60.0
#: Where `npm ci --prefix tools/argdown` puts the pinned CLI in a checkout.
_CHECKOUT_CLI = Path(__file__).resolve().parents[2] / "tools/argdown/node_modules/.bin/argdown"
INSTALL_HINT = (
    "install Node.js and then the Argdown CLI (`npm install --global @argdown/cli`; "
    "in a Cruxbot checkout `npm ci --prefix tools/argdown` does)"
)
_CONFIG = "module.exports = { include: { regEx: /(?!)/g } };\n"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def find_cli() -> str | None:
    """The Argdown CLI to run: the pinned one of a checkout, else one on PATH."""
    if shutil.which("node") is None:
        return None
    if _CHECKOUT_CLI.exists():
        return str(_CHECKOUT_CLI)
    return shutil.which("argdown")


async def argdown_json(name: str, source: bytes) -> bytes:
    """The CLI's JSON export of `source`; a UserError says what is wrong or missing."""
    cli = find_cli()
    if cli is None:
        raise UserError(f"Importing Argdown ({name}) needs the Argdown tools: {INSTALL_HINT}.")
    with tempfile.TemporaryDirectory(prefix="cruxbot-argdown-") as directory:
        folder = Path(directory)
        await asyncio.to_thread(_prepare, folder, source)
        process = await asyncio.create_subprocess_exec(
            cli,
            "json",
            "map.argdown",
            "--stdout",
            "--config",
            "argdown.config.js",
            cwd=folder,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": directory},
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            said, _ = await asyncio.wait_for(process.communicate(), TIMEOUT_SECONDS)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise UserError(
                f"Argdown took over {TIMEOUT_SECONDS:.0f} s to read {name}; split it."
            ) from None
    start = said.find(b"{")
    if process.returncode != 0 or start < 0:
        raise UserError(f"{name} is not valid Argdown: {_errors(said)}")
    return said[start:]


def _prepare(folder: Path, source: bytes) -> None:
    (folder / "map.argdown").write_bytes(source)
    (folder / "argdown.config.js").write_text(_CONFIG, encoding="utf-8")


def _errors(output: bytes) -> str:
    """The CLI's own account of the first syntax errors, without colours or paths."""
    lines = [_ANSI.sub("", line).strip() for line in output.decode("utf-8", "replace").splitlines()]
    useful = [line for line in lines if line and "map.argdown" not in line]
    useful = [line for line in useful if "canceled" not in line] or useful
    return " ".join(useful[:4])[:500] or "Argdown could not read it."
