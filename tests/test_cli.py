"""The CLI contract: once over the demo mailbox, status --json shape, messages, requeue, db upgrade."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.apps import REPO

DEMO = REPO / "config" / "demo.toml"


def triage(*args: str, db: Path, config: Path = DEMO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage", "--config", str(config), "--database-url", f"sqlite:///{db}", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def status(db: Path) -> dict[str, Any]:
    result = triage("status", "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_help_explains_every_subcommand() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "triage", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("run", "once", "ingest", "status", "requeue", "db", "config"):
        assert command in result.stdout
        sub = subprocess.run(
            [sys.executable, "-m", "triage", command, "--help"], capture_output=True, text=True, check=False
        )
        assert sub.returncode == 0 and len(sub.stdout) > 100, command


def test_once_over_demo_mailbox_then_status_json_has_the_contract_shape(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = triage("once", db=db)
    assert result.returncode == 0, result.stderr
    summary = status(db)
    assert set(summary) >= {
        "messages_total",
        "by_status",
        "by_category",
        "failed",
        "drafts",
        "applicants_total",
        "mailboxes",
    }
    assert summary["messages_total"] == 14 and summary["failed"] == 0
    assert summary["by_status"] == {"done": 14}
    assert summary["by_category"]["application"] >= 8
    assert {"auto_reply", "bounce", "spam", "question"} <= set(summary["by_category"])
    demo = summary["mailboxes"]["demo"]
    assert demo["messages"] == 14 and demo["last_error"] is None and demo["last_poll_at"]
    again = triage("once", db=db)
    assert again.returncode == 0 and status(db)["messages_total"] == 14


def test_messages_lists_verdicts_and_embassies(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert triage("once", db=db).returncode == 0
    result = triage("messages", "--format", "jsonl", "--limit", "100", db=db)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 14
    assert all(r["category"] and r["rule"] for r in rows)
    assert {r["embassy"] for r in rows} >= {"pl", "de"}


def test_requeue_puts_a_failed_message_back(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    mail = tmp_path / "big.eml"
    mail.write_bytes(
        b"From: a@mail.example\r\nSubject: big\r\nMessage-ID: <big@mail.example>\r\n\r\n" + b"x" * 30_000
    )
    config = tmp_path / "c.toml"
    config.write_text("[daemon]\nmax_message_bytes = 10000\n", encoding="utf-8")
    assert triage("ingest", str(mail), db=db, config=config).returncode == 0
    assert status(db)["failed"] == 1
    listed = triage("messages", "--status", "failed", "--format", "jsonl", db=db, config=config)
    row = json.loads(listed.stdout)
    assert row["error"].startswith("oversized: 30")
    result = triage("requeue", str(row["id"]), db=db, config=config)
    assert result.returncode == 0 and f"msg#{row['id']}" in result.stdout
    assert triage("once", db=db, config=config).returncode == 0
    assert status(db)["failed"] == 0  # the stored header is parsed and classified


def test_db_upgrade_on_empty_database_then_current(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    result = triage("db", "upgrade", db=db)
    assert result.returncode == 0 and "was empty" in result.stdout
    assert triage("db", "current", db=db).returncode == 0
    assert "unchanged" in triage("db", "upgrade", db=db).stdout


def test_ingest_of_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = triage("ingest", str(tmp_path / "nope.eml"), db=tmp_path / "t.db")
    assert result.returncode == 2 and "no such file" in result.stderr


def test_reextract_compares_with_stored_results_and_writes_on_request(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert triage("once", db=db).returncode == 0
    same = triage("reextract", db=db)
    assert same.returncode == 0, same.stderr
    assert same.stdout.strip().splitlines()[-1] == "reextract: 14 messages, 0 would change; fields: none"
    # Pretend an older rule set stored no name for message 1, then compare and write.
    import sqlite3

    with sqlite3.connect(db) as connection:
        extraction = json.loads(
            connection.execute("select extraction from message where id = 1").fetchone()[0]
        )
        name = extraction["applicants"][0]["full_name"]
        assert name
        extraction["applicants"][0]["full_name"] = None
        connection.execute("update message set extraction = ? where id = 1", (json.dumps(extraction),))
    diff = triage("reextract", "--show-values", db=db)
    assert f"msg#1: full_name: None -> {name!r}" in diff.stdout
    assert "1 would change; fields: full_name 1" in diff.stdout
    assert "1 changed" in triage("reextract", "--write", db=db).stdout
    assert "0 would change" in triage("reextract", db=db).stdout
