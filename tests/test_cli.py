"""The command-line contract that scripts and checks rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.command_line import run_cruxbot as run


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_piped_console_answers_each_line_and_exits_zero(db: str) -> None:
    result = run(
        ["console", "--db", db, "--demo"],
        stdin="/objection lag\n\n# a comment\n/steelman blank-slate\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Objection `lag`" in result.stdout
    assert "Steelman of `blank-slate`" in result.stdout
    assert result.stderr == ""


def test_console_keeps_the_map_between_runs(db: str) -> None:
    first = run(["console", "--db", db], stdin="/claim kept Stays between runs.\n")
    assert first.returncode == 0, first.stderr
    second = run(["console", "--db", db], stdin="/claim kept\n")
    assert "Stays between runs." in second.stdout


def test_demo_loads_once(db: str) -> None:
    run(["console", "--db", db, "--demo"], stdin="")
    again = run(["console", "--db", db, "--demo"], stdin="/list objections\n")
    assert again.returncode == 0
    assert again.stdout.count("`lag` —") == 1


def test_default_database_url_comes_from_the_environment(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'env.db'}"}
    result = run(["console"], stdin="/help\n", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env.db").exists()


@pytest.mark.parametrize("url", ["mysql://x@y/z", "not a url at all", "sqlite+foo:///x"])
def test_malformed_database_url_stops_with_one_line(url: str, tmp_path: Path) -> None:
    result = run(["console"], env={"DATABASE_URL": url}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DATABASE_URL" in lines[0]


def test_migrate_creates_the_schema(tmp_path: Path) -> None:
    result = run(["migrate", "--db", f"sqlite:///{tmp_path / 'm.db'}"])
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_import_a_pack_file(tmp_path: Path, db: str) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "pack: 1\nreading: {slug: book, title: A Book}\nstatements:\n"
        "  - {slug: c1, kind: claim, text: The book says so., author: Ann}\n",
        encoding="utf-8",
    )
    result = run(["import", str(pack), "--db", db])
    assert result.returncode == 0, result.stderr
    assert "Imported the reading `book`" in result.stdout
    shown = run(["console", "--db", db], stdin="/claim c1\n")
    assert "The book says so." in shown.stdout


def test_import_rejects_a_bad_pack_and_names_the_problem(tmp_path: Path, db: str) -> None:
    pack = tmp_path / "bad.yaml"
    pack.write_text(
        "pack: 1\nreading: {slug: book, title: T}\nstatements:\n"
        "  - {slug: o1, kind: objection, text: T, author: A}\n",
        encoding="utf-8",
    )
    result = run(["import", str(pack), "--db", db])
    assert result.returncode == 1
    assert "need a `target`" in result.stderr


def test_version() -> None:
    result = run(["--version"])
    assert result.returncode == 0
    assert result.stdout.startswith("cruxbot ")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MEETING_MAX_HOURS", "forever"),
        ("FORGET_MODE", "shred"),
        ("PORT", "http"),
        ("LOG_FORMAT", "xml"),
        ("SLACK_API_BASE_URL", "ftp://x"),
        ("WRITE_RATE_LIMIT", "lots"),
    ],
)
def test_malformed_settings_stop_with_one_line_naming_them(
    name: str, value: str, tmp_path: Path
) -> None:
    result = run(["console"], env={name: value}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert name in lines[0]


def test_a_backup_restored_at_the_command_line_keeps_every_id(tmp_path: Path, db: str) -> None:
    """The host restoring a backup owns the whole database: member and channel ids come
    back as they were (a chat moderator's import keeps only ids its workspace owns)."""
    made = run(
        ["console", "--db", db],
        stdin="/meeting start\n/claim c1 The book says so.\n/agree c1 80\n/meeting end\n",
    )
    assert made.returncode == 0, made.stderr
    backup = run(["export", "--format", "json", "--workspace", "console:local", "--db", db])
    assert backup.returncode == 0, backup.stderr
    (tmp_path / "backup.json").write_text(backup.stdout, encoding="utf-8")
    restored_db = f"sqlite:///{tmp_path / 'restored.db'}"
    restored = run(
        [
            "import",
            str(tmp_path / "backup.json"),
            "--workspace",
            "console:local",
            "--db",
            restored_db,
        ]
    )
    assert restored.returncode == 0, restored.stderr
    assert "imported:" not in restored.stdout
    again = run(["export", "--format", "json", "--workspace", "console:local", "--db", restored_db])
    assert again.stdout == backup.stdout
