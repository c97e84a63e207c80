"""Reading packs from files: YAML that is not a pack, bad encodings, control characters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.packs.loader import PackError, load_pack, parse_pack
from tests.test_packs import pack, statement


def write(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_load_pack_round_trip(tmp_path: Path) -> None:
    parsed = load_pack(write(tmp_path / "pack.yaml", pack()))
    assert parsed == parse_pack(pack())


def test_load_pack_validates(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="claims have no target"):
        load_pack(write(tmp_path / "pack.yaml", pack(statement("c2", target="c"))))


def test_load_pack_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("pack: 1\nreading: [unclosed\n  - {oops\n", encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_pack(path)
    assert "broken.yaml is not valid YAML" in info.value.message


def test_load_pack_plain_text_is_not_a_pack(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Just some notes about the reading.\n", encoding="utf-8")
    with pytest.raises(PackError, match="A pack is a mapping"):
        load_pack(path)


def test_load_pack_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("pack: 1\nreading:\n  title: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(PackError) as info:
        load_pack(path)
    assert "Cannot read the pack latin1.yaml" in info.value.message


def test_load_pack_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    with pytest.raises(PackError):
        load_pack(path)


def test_load_pack_raw_control_character_in_yaml(tmp_path: Path) -> None:
    path = tmp_path / "bell.yaml"
    path.write_text("pack: 1\nreading:\n  slug: r\n  title: a\x07b\n", encoding="utf-8")
    with pytest.raises(PackError):
        load_pack(path)


def test_load_pack_escaped_control_character_in_yaml(tmp_path: Path) -> None:
    path = tmp_path / "escaped.yaml"
    path.write_text('pack: 1\nreading:\n  slug: r\n  title: "a\\x07b"\n', encoding="utf-8")
    with pytest.raises(PackError, match="control characters"):
        load_pack(path)


def test_load_pack_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PackError, match=r"Cannot read the pack missing\.yaml"):
        load_pack(tmp_path / "missing.yaml")


def test_load_pack_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(PackError, match="A pack is a mapping"):
        load_pack(path)
