"""Held-out de-duplication at scale: thousands of synthetic persons with the hard cases, through the store.

    .venv/bin/python bench/heldout_bench.py [--persons 5000] [--seed 11] [--namesake-dob-rate 0.5]
        [--memory]

The population is `bench.heldout` (never the dev set): ordinary persons from 16 cultures plus
namesake groups (six James Smiths, four Anna Nowaks, ...), family mailboxes shared by two relatives
and shared birthdays; people change address, city, country, embassy, language, script and spelling
from one message to the next. Every message goes one at a time through the link stage's matcher and
a fresh SQLite store (`bench.store_stream`); the predicted pairs are all pairs of messages that end
in one applicant. Printed: pairwise precision, recall and F1, the false pairs by hard case, the
decisions, and the link transaction's latency. ``--memory`` adds the same stream through the
in-memory reference (`triage.linking.index.MemoryIndex`) for comparison.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.heldout import DOB_RATE, HeldOut, heldout
from bench.store_stream import Pair, StoreStream, pairs_of, prf
from triage.linking.index import MemoryIndex
from triage.linking.profile import Profile


def truth_pairs(data: HeldOut) -> set[Pair]:
    by_person: dict[str, list[str]] = {}
    for record in data.records:
        by_person.setdefault(record.person, []).append(record.record_id)
    return pairs_of(by_person.values())


def false_pairs_by_case(data: HeldOut, predicted: set[Pair], truth: set[Pair]) -> Counter[str]:
    """Count the wrongly joined pairs by the hard case their two persons belong to."""
    person = {r.record_id: r.person for r in data.records}
    counts: Counter[str] = Counter()
    for pair in predicted - truth:
        a, b = sorted(person[record_id] for record_id in pair)
        counts[data.case_of(a, b) or "other"] += 1
    return counts


def run_store(data: HeldOut) -> tuple[set[Pair], list[float], dict[str, int]]:
    with StoreStream() as stream:
        for record in data.records:
            stream.link(record.record_id, record.extracted, record.embassy, record.language)
        return stream.predicted_pairs(), stream.latencies, stream.actions


def run_memory(data: HeldOut) -> set[Pair]:
    index = MemoryIndex()
    members: dict[int, list[str]] = {}
    for record in data.records:
        applicant_id, _ = index.add(Profile.from_mapping(record.extracted))
        members.setdefault(applicant_id, []).append(record.record_id)
    return pairs_of(members.values())


def line(label: str, predicted: set[Pair], truth: set[Pair], data: HeldOut) -> str:
    p, r, f = prf(predicted, truth)
    cases = false_pairs_by_case(data, predicted, truth)
    wrong = ", ".join(f"{case} {n}" for case, n in sorted(cases.items())) or "none"
    return f"{label:8} {p:9.4f} {r:7.4f} {f:6.4f}  false pairs: {wrong}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=5000, help="ordinary persons (hard cases come on top)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--namesake-dob-rate",
        type=float,
        default=DOB_RATE,
        help="how often a deliberate namesake's message states the birth date",
    )
    parser.add_argument("--memory", action="store_true", help="also run the in-memory reference")
    args = parser.parse_args()
    data = heldout(args.seed, args.persons, args.namesake_dob_rate)
    truth = truth_pairs(data)
    groups = ", ".join(f"{len(g)} {case} groups" for case, g in data.groups.items())
    print(f"{data.persons} persons, {len(data.records)} messages, {len(truth)} true pairs; {groups}")
    start = time.perf_counter()
    predicted, latencies, actions = run_store(data)
    elapsed = time.perf_counter() - start
    print(f"{'system':8} {'precision':>9} {'recall':>7} {'F1':>6}")
    print(line("store", predicted, truth, data))
    if args.memory:
        print(line("memory", run_memory(data), truth, data))
    quantiles = statistics.quantiles(latencies, n=100)
    print(
        f"store: {actions.get('link', 0)} linked, {actions.get('new', 0)} new, "
        f"{actions.get('suggestions', 0)} merge suggestions; link transaction ms p50/p95/p99 "
        f"{quantiles[49] * 1000:.2f}/{quantiles[94] * 1000:.2f}/{quantiles[98] * 1000:.2f}; "
        f"{elapsed:.0f}s in all"
    )


if __name__ == "__main__":
    main()
