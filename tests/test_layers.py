"""The layers stay apart, in both directions.

The core (`bot/`) imports no chat library, no adapter and not the composition
root (`cruxbot/`); adapters import no database library and not the composition
root; only the composition root puts several adapters together. Read from the
source with `ast`, so a lazy import inside a function counts too.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.scoped import Scoped
from bot.storage.store import store_over

ROOT = Path(__file__).resolve().parents[1]
PLATFORM_LIBRARIES = ("discord", "slack_bolt", "slack_sdk")
DATABASE_LIBRARIES = ("sqlalchemy", "aiosqlite", "asyncpg", "alembic")
#: The adapter packages: one per platform, and the web view.
ADAPTERS = ("console", "discord", "slack", "web")
CHAT_ADAPTERS = ("console", "discord", "slack")


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


def adapters_imported(path: Path) -> set[str]:
    """The adapter packages (`adapters.<name>`) a module imports, other than its own."""
    relative = path.relative_to(ROOT).parts
    own = relative[1] if relative[0] == "adapters" and len(relative) > 2 else None
    found = set()
    for name in imported_modules(path):
        parts = name.split(".")
        if parts[0] == "adapters" and len(parts) > 1 and parts[1] in ADAPTERS:
            found.add(parts[1])
    return found - {own}


def modules_of(*packages: str) -> list[Path]:
    return [path for package in packages for path in sorted((ROOT / package).rglob("*.py"))]


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("bot", PLATFORM_LIBRARIES),
        ("bot", ("adapters", "cruxbot")),
        ("adapters", DATABASE_LIBRARIES),
        ("adapters", ("cruxbot",)),
    ],
)
def test_a_layer_never_imports_the_libraries_of_another(
    package: str, forbidden: tuple[str, ...]
) -> None:
    assert offending(package, forbidden) == {}


def test_the_check_would_see_an_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from discord import Client\n    import sqlalchemy.orm\n")
    assert imported_modules(module) == {"discord", "sqlalchemy.orm"}


def test_only_the_composition_root_puts_several_adapters_together() -> None:
    several = {
        str(path.relative_to(ROOT)): sorted(adapters_imported(path))
        for path in modules_of("bot", "adapters")
        if len(adapters_imported(path)) > 1
    }
    assert several == {}
    root = set().union(*(adapters_imported(path) for path in modules_of("cruxbot")))
    assert {"console", "discord", "slack", "web"} <= root


def test_no_chat_adapter_imports_another() -> None:
    crossing = {
        str(path.relative_to(ROOT)): sorted(adapters_imported(path) & set(CHAT_ADAPTERS))
        for path in modules_of("adapters")
        if adapters_imported(path) & set(CHAT_ADAPTERS)
    }
    assert crossing == {}


def test_the_check_would_see_a_lazy_adapter_import_in_the_core(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "def serve():\n    from adapters.slack import runner\n    import cruxbot.serve\n"
    )
    assert imported_modules(module) == {"adapters.slack", "cruxbot.serve"}


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


#: The modules that run commands: they reach the database through repositories only.
COMMAND_MODULES = ("bot/services", "bot/pipeline.py", "bot/app.py")


def session_uses(path: Path) -> list[str]:
    """`line: source` of every `.session` read in a module (a unit of work's, or any)."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    return [
        f"{node.lineno}: {ast.get_source_segment(source, node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "session"
    ]


def test_services_never_touch_a_unit_of_works_session() -> None:
    """Services, the pipeline and the app ask `uow.statements`, `uow.flush()`, … instead.

    The session is storage's: a service that reaches past the repositories can
    write a query that forgets the workspace, and tenants stop being apart.
    """
    paths = [
        path
        for name in COMMAND_MODULES
        for path in ([ROOT / name] if name.endswith(".py") else sorted((ROOT / name).rglob("*.py")))
    ]
    found = {
        str(path.relative_to(ROOT)): session_uses(path) for path in paths if session_uses(path)
    }
    assert found == {}


def test_the_check_would_see_a_service_using_the_session(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("async def f(uow):\n    uow.session.add(1)\n    await uow.session.flush()\n")
    assert session_uses(module) == ["2: uow.session", "3: uow.session"]


#: What a repository method's body holds when its query is the workspace's alone: the
#: filter itself, or a helper that starts every query with it.
SCOPED_BY = ("workspace_id", "self._statements()", "self._people()")
#: Repository methods that need not name the workspace themselves, and why.
UNSCOPED_METHODS = {
    # Runs the query it is given, built on `_people` (the workspace's rows only).
    "MemberRepository._latest",
    # Store the row given: a link row made for this workspace (see `current`).
    "WebLinkRepository.save",
    # Narrows a query the caller already filtered on the workspace.
    "StatementRepository._slug_prefix",
    # Compacts the whole text index; it reads no row.
    "StatementRepository.forget_deleted_words",
}


def unscoped_methods(cls: type) -> list[str]:
    """`Class.method` of each method whose body never names the workspace (and is not excused)."""
    found = []
    for name, method in inspect.getmembers(cls, inspect.isfunction):
        source = inspect.getsource(method)
        if name.startswith("__") or any(scoped in source for scoped in SCOPED_BY):
            continue
        if f"{cls.__name__}.{name}" not in UNSCOPED_METHODS:
            found.append(f"{cls.__name__}.{name}")
    return found


def test_every_repository_query_names_the_workspace() -> None:
    """Each method of each aggregate repository filters on its workspace.

    A query that forgets the filter would let one tenant read another's rows;
    the tenancy tests catch it only for the paths they drive.
    """
    store = store_over(cast(AsyncSession, None), 0)
    repositories = [type(r) for r in vars(store).values() if isinstance(r, Scoped)]
    assert len(repositories) >= 10
    assert [method for cls in repositories for method in unscoped_methods(cls)] == []


class _Careless(Scoped):
    async def everything(self) -> None:
        await self.session.execute(text("SELECT * FROM statements"))


def test_the_check_would_see_a_query_without_the_workspace() -> None:
    assert unscoped_methods(_Careless) == ["_Careless.everything"]
