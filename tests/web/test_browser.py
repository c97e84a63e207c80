"""The demo reading's pages in a real browser: Debian's headless Chromium.

The Node tool in tools/webcheck loads each page in a light and a dark colour
scheme and at a phone's width, and reports console errors (a script or style the Content-Security-
Policy blocked is one), the nicknames missing from the DOM, a screenshot,
and axe-core's accessibility findings. Screenshots are kept as artefacts in
CRUXBOT_ARTIFACTS (default: test-artifacts/ in the checkout).

Skipped with a reason when Chromium, Node.js or the tool's packages are
missing; CRUXBOT_REQUIRE_CHROMIUM=1 (set by CI) makes that a failure.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.packs.loader import DEMO_PACK, load_pack
from tests.conftest import MEMBER, MODERATOR, needs_tool
from tests.web.conftest import Site

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "webcheck"
SETTING = "CRUXBOT_REQUIRE_CHROMIUM"
INSTALL = "apt-get install chromium nodejs npm; npm ci --prefix tools/webcheck"
DEMO_SLUGS = [statement.slug for statement in load_pack(DEMO_PACK).statements]
#: axe-core impacts that fail the test.
BLOCKING = {"serious", "critical"}


def require_browser() -> None:
    """Skip (or, with CRUXBOT_REQUIRE_CHROMIUM=1, fail) unless the browser check can run."""
    needs_tool("chromium", SETTING, INSTALL)
    needs_tool("node", SETTING, INSTALL)
    if (TOOL / "node_modules" / "puppeteer-core").exists():
        return
    missing = "tools/webcheck's packages"
    if os.environ.get(SETTING) == "1":
        pytest.fail(f"{missing} is required ({SETTING}=1) but not installed: {INSTALL}")
    pytest.skip(f"{missing} not installed ({INSTALL}); {SETTING}=1 makes this a failure")


def artefacts() -> Path:
    folder = Path(os.environ.get("CRUXBOT_ARTIFACTS", ROOT / "test-artifacts")) / "web"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def check_pages(pages: list[dict[str, Any]], out: Path) -> list[dict[str, Any]]:
    """Run the Node tool over the pages; its findings, one per page and scheme."""
    spec = out / "pages.json"
    spec.write_text(json.dumps(pages), encoding="utf-8")
    chromium = shutil.which("chromium")
    assert chromium is not None
    process = await asyncio.create_subprocess_exec(
        "node",
        str(TOOL / "check.mjs"),
        str(spec),
        str(out),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "CHROMIUM": chromium},
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 300)
    assert process.returncode == 0, stderr.decode(errors="replace")[-3000:]
    results: list[dict[str, Any]] = json.loads(stdout)
    return results


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_every_demo_page_loads_cleanly_accessibly_and_shows_every_nickname(
    site: Site, graphviz: None
) -> None:
    require_browser()
    await site.app.handle_line("/meeting start alignment-optimism", MODERATOR)
    await site.app.handle_line("/crux lag rigorous-evals", MEMBER)
    await site.app.handle_line("/meeting end", MODERATOR)
    root = site.base + await site.link()
    reading = f"{root}r/alignment-optimism"
    pages = [
        {"name": "index", "url": root, "expect": ["alignment-optimism"]},
        {"name": "reading", "url": reading, "expect": [f"s/{s}" for s in DEMO_SLUGS]},
        {"name": "statement", "url": f"{root}s/lag", "expect": ["lag", "lag-reply"]},
        {"name": "statement-blank-slate", "url": f"{root}s/blank-slate", "expect": ["blank-slate"]},
        {"name": "minutes", "url": f"{root}m/latest", "expect": ["Minutes"]},
    ]
    out = artefacts()
    results = await check_pages(pages, out)
    assert len(results) == 3 * len(pages)
    sizes = await asyncio.to_thread(lambda: [Path(r["screenshot"]).stat().st_size for r in results])
    for result, size in zip(results, sizes, strict=True):
        where = f"{result['name']} ({result['scheme']})"
        assert result["status"] == 200, where
        assert result["errors"] == [], where
        assert result["missing"] == [], where
        assert result["scriptRan"], where
        assert not result["overflows"], where  # nothing wider than a phone's screen
        assert size > 1000, where
        serious = [v for v in result["axe"] if v["impact"] in BLOCKING]
        assert serious == [], (where, serious)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_a_new_statement_appears_on_an_open_page_without_a_reload(site: Site) -> None:
    require_browser()
    url = site.base + await site.link(line="/web alignment-optimism")
    chromium = shutil.which("chromium")
    assert chromium is not None
    process = await asyncio.create_subprocess_exec(
        "node",
        str(TOOL / "live.mjs"),
        url,
        "freshly-logged",
        "40000",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "CHROMIUM": chromium},
    )
    assert process.stdout is not None
    ready = await asyncio.wait_for(process.stdout.readline(), 120)
    assert ready == b"ready\n", (await process.communicate())[1].decode(errors="replace")[-2000:]
    line = "/claim freshly-logged Logged while the page was open. reading:alignment-optimism"
    assert not (await site.app.handle_line(line, MEMBER)).error
    stdout, stderr = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, stderr.decode(errors="replace")[-2000:]
    result = json.loads(stdout)
    assert result["appeared"], result
    assert not result["reloaded"] and result["errors"] == []
    assert result["announced"] == "Updated with the latest statements."
