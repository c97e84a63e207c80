"""Running the real Argdown CLI (pinned in tools/argdown) from tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ARGDOWN = Path(__file__).resolve().parent.parent / "tools/argdown/node_modules/.bin/argdown"
SETTING = "CRUXBOT_REQUIRE_ARGDOWN"
INSTALL = "npm ci --prefix tools/argdown"


def require_argdown() -> None:
    """Skip (or, with CRUXBOT_REQUIRE_ARGDOWN=1, fail) unless Node and the CLI are here."""
    missing = "Node.js" if shutil.which("node") is None else None
    if missing is None and not ARGDOWN.exists():
        missing = "the Argdown CLI"
    if missing is None:
        return
    if os.environ.get(SETTING) == "1":
        pytest.fail(f"{missing} is required ({SETTING}=1) but not installed: {INSTALL}")
    pytest.skip(f"{missing} not installed ({INSTALL}); {SETTING}=1 makes this a failure")


def argdown_json(directory: Path, source: str) -> dict[str, Any]:
    """What the Argdown CLI's JSON export makes of `source` (fails on a syntax error)."""
    require_argdown()
    (directory / "map.argdown").write_text(source, encoding="utf-8")
    done = subprocess.run(
        [str(ARGDOWN), "json", "map.argdown", "out"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = directory / "out" / "map.json"
    assert done.returncode == 0 and output.exists(), done.stdout + done.stderr
    result: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    output.unlink()
    return result


def argdown_json_all(directory: Path, sources: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The CLI's JSON export of several files (by name) in one run: the CLI is slow to start."""
    require_argdown()
    for name, source in sources.items():
        (directory / name).write_text(source, encoding="utf-8")
    done = subprocess.run(
        [str(ARGDOWN), "json", "*.argdown", "out"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return {
        name: json.loads((directory / "out" / name).with_suffix(".json").read_text("utf-8"))
        for name in sources
    }


def member_texts(element: dict[str, Any]) -> list[str]:
    """The texts of an equivalence class's or argument's defining members, in order."""
    return [m["text"] for m in element["members"] if m.get("text")]
