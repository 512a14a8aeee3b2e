"""The dev set's person groups, streamed in file order through index, scorer and decisions."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from triage.linking.index import MemoryIndex
from triage.linking.train import devset_records

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "devset" / "gold.jsonl"


@pytest.mark.skipif(not GOLD.exists(), reason="../shared/devset is not present")
def test_devset_stream_meets_pairwise_precision_and_f1() -> None:
    records = devset_records(GOLD)
    index = MemoryIndex()
    assigned = [index.add(profile)[0] for _, profile in records]
    tp = fp = fn = 0
    for (i, (truth_i, _)), (j, (truth_j, _)) in combinations(enumerate(records), 2):
        same, linked = truth_i == truth_j, assigned[i] == assigned[j]
        tp += same and linked
        fp += linked and not same
        fn += same and not linked
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall)
    assert precision >= 0.98, (tp, fp, fn)
    assert f1 >= 0.95, (tp, fp, fn)
