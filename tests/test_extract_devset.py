"""Regression on the shared dev set: `triage extract` output scored by ../shared/eval/score.py."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.extract_support import extractor
from triage.commands.extract import extract_file

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "devset" / "gold.jsonl"
SCORER = SHARED / "eval" / "score.py"

pytestmark = pytest.mark.skipif(not (GOLD.exists() and SCORER.exists()), reason="shared dev set not present")


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("devset_score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    rows = [extract_file(path, extractor()) for path in sorted((SHARED / "devset").glob("*.eml"))]
    pred = tmp_path_factory.mktemp("devset") / "pred.jsonl"
    pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result: dict[str, Any] = _scorer().score_extract(str(GOLD), str(pred))
    return result


def test_devset_every_message_has_a_line_without_error(scores: dict[str, Any]) -> None:
    assert scores["missing_predictions"] == 0


def test_devset_category_accuracy_reaches_the_bar(scores: dict[str, Any]) -> None:
    assert scores["category_accuracy"] >= 0.95


def test_devset_field_macro_f1_reaches_the_bar(scores: dict[str, Any]) -> None:
    assert scores["field_macro_f1"] >= 0.85


@pytest.mark.parametrize("field", ["full_name", "email", "phone"])
def test_devset_identity_fields_reach_the_bar(scores: dict[str, Any], field: str) -> None:
    assert scores["fields"][field]["f1"] >= 0.95


def test_devset_no_profile_for_machine_mail_or_spam(scores: dict[str, Any]) -> None:
    assert scores["spurious_applicants"] == 0
