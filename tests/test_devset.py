"""The dev set through `triage ingest`: categories measured by ../shared/eval/score.py."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.apps import SHARED, config, make_app, write_toml
from triage.store.models import Message

DEVSET = SHARED / "devset"
SCORE = SHARED / "eval" / "score.py"
NOT_APPLICATIONS = {"auto_reply", "bounce"}
EMBASSY_CODES = "at au be br ca cz de es fr ge hr ie it jp kz lt lv mx nl pl pt se uk us".split()
CONSULATES = ["chicago", "munich", "toronto"]


@pytest.fixture(scope="module")
def ingested(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, Message], dict[str, list[str]]]:
    if not DEVSET.is_dir() or not SCORE.is_file():
        pytest.skip(f"no dev set at {DEVSET}")
    tmp = tmp_path_factory.mktemp("devset")
    data = config(
        f"sqlite:///{tmp}/d.db",
        embassies=[
            {"code": code, "name": f"Ukraine ({code})", "addresses": [f"{mailbox}@mfa.example"]}
            for code, mailbox in [
                *((c, f"emb_{c}") for c in EMBASSY_CODES),
                *((c, f"consulate-{c}") for c in CONSULATES),
            ]
        ],
    )
    path = write_toml(tmp / "c.toml", data)
    result = subprocess.run(
        [sys.executable, "-m", "triage", "--config", str(path), "ingest", str(DEVSET)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ingest: 70 messages read, 70 stored")
    files = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in sorted(DEVSET.glob("*.eml"))}
    with make_app(data) as app, app.sessions() as session:
        rows = {files[m.sha256]: m for m in session.scalars(select(Message))}
        embassies = {files[m.sha256]: sorted({c.embassy_code or "" for c in m.copies}) for m in rows.values()}
        session.expunge_all()
    return tmp, rows, embassies


def test_devset_every_message_is_classified(ingested) -> None:  # type: ignore[no-untyped-def]
    _, rows, _ = ingested
    assert len(rows) == 70
    assert {m.status for m in rows.values()} == {"done"}


def test_devset_category_accuracy_by_score_py(ingested) -> None:  # type: ignore[no-untyped-def]
    tmp, rows, _ = ingested
    predictions = tmp / "pred.jsonl"
    predictions.write_text(
        "".join(
            json.dumps({"file": name, "category": m.category, "applicants": []}) + "\n"
            for name, m in rows.items()
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(SCORE), "extract", str(DEVSET / "gold.jsonl"), str(predictions), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    score = json.loads(result.stdout)
    assert score["category_accuracy"] >= 0.95, score["category_errors"]
    wrong = [
        k
        for k in score["category_errors"]
        if k.split("->")[0] in NOT_APPLICATIONS and k.split("->")[1] == "application"
    ]
    assert wrong == []


def test_devset_auto_replies_and_bounces_never_come_out_as_application(ingested) -> None:  # type: ignore[no-untyped-def]
    _, rows, _ = ingested
    gold = {
        json.loads(line)["file"]: json.loads(line)["category"]
        for line in (DEVSET / "gold.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    for name, message in rows.items():
        if gold[name] in NOT_APPLICATIONS | {"spam"}:
            assert message.category != "application", name


def test_devset_forwards_record_the_original_sender(ingested) -> None:  # type: ignore[no-untyped-def]
    _, rows, _ = ingested
    gold = {
        json.loads(line)["file"]: json.loads(line)
        for line in (DEVSET / "gold.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    forwards = [name for name, m in rows.items() if m.is_forward]
    assert {"msg_032.eml", "msg_055.eml", "msg_060.eml", "msg_064.eml"} <= set(forwards)
    for name in forwards:
        applicant = gold[name]["applicant"] or {}
        assert rows[name].author_email == applicant.get("email"), name


def test_devset_embassy_comes_from_the_original_recipient(ingested) -> None:  # type: ignore[no-untyped-def]
    _, _, embassies = ingested
    assert embassies["msg_001.eml"] == ["jp"]  # X-Original-To: emb_jp@mfa.example
    assert all(codes != [""] for codes in embassies.values())


def test_devset_person_groups_by_score_py_dedupe(ingested) -> None:  # type: ignore[no-untyped-def]
    tmp, _, _ = ingested
    clusters = tmp / "applicants.jsonl"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "triage",
            "--config",
            str(tmp / "c.toml"),
            "export",
            "applicants",
            "--format",
            "jsonl",
            "--output",
            str(clusters),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    score = json.loads(
        subprocess.run(
            [
                sys.executable,
                str(SCORE),
                "dedupe",
                str(DEVSET / "gold.jsonl"),
                str(clusters),
                str(DEVSET),
                "--json",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    # A message without a Message-ID cannot be named in message_ids (msg_010 has none).
    no_id = sum(b"\nMessage-ID:" not in b"\n" + p.read_bytes() for p in DEVSET.glob("*.eml"))
    assert score["unlinked"] <= no_id
    assert score["pairwise_precision"] >= 0.98 and score["pairwise_f1"] >= 0.95, score
