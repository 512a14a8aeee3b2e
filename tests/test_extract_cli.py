"""`triage extract`: the subcommand's parser, its JSON lines and its exit codes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from triage.commands import extract

_MAIL = (
    "From: Rui Costa <Rui.Costa@mail.example>\r\nTo: emb_pt@mfa.example\r\nSubject: Voluntario\r\n"
    "Message-ID: <abc@mail.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    "Chamo-me Rui Costa, tenho 31 anos e vivo em Braga. Servi 4 anos no Exercito.\r\n"
    "Tenho passaporte valido.\r\n\r\nRui Costa\r\n912 111 222\r\n"
)


def _main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    extract.register(sub)
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


def test_extract_directory_prints_one_line_per_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.eml").write_text(_MAIL, encoding="utf-8")
    (tmp_path / "b.eml").write_bytes(b"")
    assert _main(["extract", "--format", "jsonl", str(tmp_path)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["file"] for row in lines] == ["b.eml", "a.eml"]
    row = lines[1]
    assert row["message_id"] == "<abc@mail.example>"
    assert row["category"] == "application" and row["language"] == "pt"
    person = row["applicants"][0]
    assert (person["full_name"], person["email"], person["phone"]) == (
        "Rui Costa",
        "rui.costa@mail.example",
        "+351912111222",
    )
    assert (person["city"], person["age"], person["has_passport"]) == ("Braga", 31, True)
    assert person["evidence"]["city"]["source"] == "body"


def test_unreadable_file_gets_an_error_line(tmp_path: Path) -> None:
    unreadable = tmp_path / "x.eml"
    unreadable.mkdir()  # a directory where a file was expected cannot be read
    row = extract.extract_file(unreadable, None)
    assert row["file"] == "x.eml" and row["applicants"] == [] and "cannot read" in row["error"]


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["extract", str(tmp_path / "nope.eml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        _main(["extract", "--format", "csv", str(tmp_path)])
    assert exc.value.code == 2
