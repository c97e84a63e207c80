"""Running the `cruxbot` command line as a real process, as a host would.

Tests of the command line, the console's web view and the settings checks all
start `python -m cruxbot` the same way, so it is written once here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CRUXBOT = [sys.executable, "-m", "cruxbot"]


def run_cruxbot(
    args: list[str],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    *,
    stdin: str = "",
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run `cruxbot ARGS` to its end with `stdin` piped in; `env` adds to this environment."""
    return subprocess.run(
        CRUXBOT + args,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        check=False,
    )
