"""The layers stay apart: the core imports no chat library, adapters no database library.

Read from the source with `ast`, so a lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLATFORM_LIBRARIES = ("discord", "slack_bolt", "slack_sdk")
DATABASE_LIBRARIES = ("sqlalchemy", "aiosqlite", "asyncpg", "alembic")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def offending(package: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    bad: dict[str, list[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names = [name for name in imported_modules(path) if name.split(".")[0] in forbidden]
        if names:
            bad[str(path.relative_to(ROOT))] = sorted(names)
    return bad


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("bot", PLATFORM_LIBRARIES), ("adapters", DATABASE_LIBRARIES)],
)
def test_a_layer_never_imports_the_libraries_of_another(
    package: str, forbidden: tuple[str, ...]
) -> None:
    assert offending(package, forbidden) == {}


def test_the_check_would_see_an_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from discord import Client\n    import sqlalchemy.orm\n")
    assert imported_modules(module) == {"discord", "sqlalchemy.orm"}


def test_only_the_http_provider_imports_an_http_client_and_only_when_configured() -> None:
    """`openai` is imported by its provider module alone, which only the settings import,
    inside the function that builds the provider (so only with CRUXBOT_EMBEDDINGS_URL set)."""
    clients = offending("bot", ("openai", "httpx", "httpx2", "requests", "aiohttp"))
    assert clients == {"bot/embeddings/openai_api.py": ["openai"]}
    importers = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "bot").rglob("*.py")
        if "bot.embeddings.openai_api" in imported_modules(path)
    }
    assert importers == {"bot/embeddings/settings.py"}
    settings = ast.parse((ROOT / "bot/embeddings/settings.py").read_text(encoding="utf-8"))
    top_level = {
        node.module for node in settings.body if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "bot.embeddings.openai_api" not in top_level
