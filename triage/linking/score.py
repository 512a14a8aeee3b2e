"""Fellegi-Sunter scoring of two profiles: per-field agreement levels, log-likelihood weights, vetoes, bands.

Each data kind (``applicant`` for extracted applicants, ``febrl`` for the FEBRL benchmark) declares
its fields: a comparator (`triage.linking.compare`) and the levels that veto a match outright. The
weight of a level is ``log2(m / u)``, m and u being the probabilities of that level among pairs of
records of the same person and of different people; they are estimated from labelled data by
`triage.linking.train` and shipped in ``data/weights.json`` together with the two thresholds that
split scores into bands (how they are chosen is documented in `triage.linking.train`). A missing
field weighs nothing. Fields that would count the same evidence twice are compared together (the
city and the country of residence are one ``place`` field) or conditionally, by a table estimated
on such pairs only:

* an e-mail address that merely shares the name with another weighs by the ``email|name`` table,
  estimated on namesakes, whenever the names already agree;
* a nationality weighs by the ``nationality|place`` table whenever the two live in one country:
  most people hold the passport of the country they live in, so between compatriots a shared
  nationality repeats what the place already said (two Poles in Warsaw are mostly both Polish);
* an e-mail address shared by two people whose names differ is a shared mailbox (a family's, or
  that of a friend who writes for others) and weighs nothing; one merely alike weighs as a
  different one.

The thresholds hold for a store of `Weights.reference_size` applicants and rise by
``log2(N / reference)`` bits with the number N of applicants stored (the prior odds that a new
profile is one given applicant fall as 1/N); below `Weights.minimum_size` they do not fall further.

Vetoes of the ``applicant`` kind, and why:
* two passport numbers and no common one: a passport number is an identifier, not a spelling;
* two dates of birth that are neither equal nor the same date with day and month swapped: the
  extractor reads dates in the writer's convention, so a swap is a reading ambiguity, any other
  difference is another person (a sibling sharing the family mailbox, a namesake).
Nationality is not a veto: dual citizens state either passport, and extraction sometimes takes the
country of residence for it; it weighs instead, little between compatriots. The ``febrl`` kind has
no veto: its dates of birth carry typing errors by design.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from triage.linking import compare
from triage.linking.profile import Profile

Band = Literal["link", "suggest", "new"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One compared field: its comparator and the levels that forbid a match."""

    name: str
    compare: compare.Comparator
    veto_levels: frozenset[str] = frozenset()
    # (field, levels): when that earlier field is at one of those levels, this field's weights are
    # the table "<name>|<field>", estimated on such pairs only (e-mail given that the names agree)
    condition: tuple[str, frozenset[str]] | None = None

    def conditioned(self, levels: Mapping[str, str | None]) -> bool:
        """True if, given the levels of earlier fields, the conditional table applies."""
        return self.condition is not None and levels.get(self.condition[0]) in self.condition[1]

    def table(self, levels: Mapping[str, str | None]) -> str:
        """Return the name of the weight table that applies, given the levels of earlier fields."""
        return (
            f"{self.name}|{self.condition[0]}" if self.condition and self.conditioned(levels) else self.name
        )


#: One weighed field of a verdict: (field, level, weight in bits, or None for a veto).
Term = tuple[str, str, float | None]


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The verdict on one pair: total weight, band, the weighed fields, and whether a veto fired."""

    score: float
    band: Band
    terms: tuple[Term, ...] = ()
    vetoed: bool = False

    @property
    def reasons(self) -> list[str]:
        """The terms for people: ``name close (+9.0)``, ``dob different: veto``."""
        return [
            f"{name} {level}: veto" if weight is None else f"{name} {level} ({weight:+.1f})"
            for name, level, weight in self.terms
        ]


NAMES_AGREE = frozenset({"exact", "close"})
SAME_COUNTRY = frozenset({"city", "country"})

APPLICANT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", compare.compare_names),
    FieldSpec("email", compare.compare_emails, condition=("name", NAMES_AGREE)),
    FieldSpec("phone", compare.compare_phones),
    FieldSpec("passport", compare.compare_passports, frozenset({"different"})),
    FieldSpec("dob", compare.compare_dob, frozenset({"typo", "different"})),
    FieldSpec("place", compare.compare_place),
    FieldSpec("nationality", compare.compare_nationality, condition=("place", SAME_COUNTRY)),
)

FEBRL_EXTRA_FIELDS: tuple[str, ...] = ("street_number", "address_1", "address_2", "postcode", "state")

FEBRL_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", compare.compare_names),
    FieldSpec("dob", compare.compare_dob),
    FieldSpec("city", compare.compare_city),
    FieldSpec("street_number", compare.compare_extra_code("street_number")),
    FieldSpec("address_1", compare.compare_extra_text("address_1")),
    FieldSpec("address_2", compare.compare_extra_text("address_2")),
    FieldSpec("postcode", compare.compare_extra_code("postcode")),
    FieldSpec("state", compare.compare_extra_code("state")),
)

KINDS: Mapping[str, tuple[FieldSpec, ...]] = {"applicant": APPLICANT_FIELDS, "febrl": FEBRL_FIELDS}


@dataclass(frozen=True, slots=True)
class Weights:
    """Per-field level weights (bits) and the band thresholds of one data kind."""

    levels: Mapping[str, Mapping[str, float]]
    link_threshold: float
    suggest_threshold: float
    # thresholds hold for a store of this many applicants; see `Scorer.band`
    reference_size: int = 5000
    minimum_size: int = 100

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Weights:
        thresholds = data["thresholds"]
        return cls(
            levels={f: dict(levels) for f, levels in data["weights"].items()},
            link_threshold=float(thresholds["link"]),
            suggest_threshold=float(thresholds["suggest"]),
            reference_size=int(thresholds["reference_size"]),
            minimum_size=int(thresholds["minimum_size"]),
        )

    def shift(self, store_size: int | None) -> float:
        """Return the bits to add to both thresholds for a store of *store_size* applicants.

        The prior odds that a new profile is a given stored applicant fall as 1/N, so the evidence
        needed for the same certainty grows by log2(N / reference size); below `minimum_size` the
        prior is not trusted to lower the bar further. None means the reference size.
        """
        if store_size is None:
            return 0.0
        return math.log2(max(store_size, self.minimum_size) / self.reference_size)


@cache
def shipped_weights(kind: str) -> Weights:
    """Return the weights of *kind* from ``data/weights.json``; KeyError if the kind is not there."""
    text = resources.files(__package__).joinpath("data/weights.json").read_text(encoding="utf-8")
    return Weights.from_json(json.loads(text)["kinds"][kind])


def comparison_vector(a: Profile, b: Profile, fields: tuple[FieldSpec, ...]) -> dict[str, str | None]:
    """Return the level of every field as the scorer weighs it (None: a side lacks it, or it says nothing).

    `triage.linking.train` counts these same levels, so what is estimated is what is scored.
    """
    levels: dict[str, str | None] = {}
    for spec in fields:
        level = spec.compare(a, b)
        if spec.name == "email" and levels.get("name") == "different":
            if level == "close":
                # Two addresses alike only through a shared given name (viktor.castillo / viktor.quinlan)
                # of people whose names differ: the likeness says nothing more than the names did.
                level = "different"
            elif level == "exact":
                # One mailbox, two names: a family's shared address, or a friend writing for others.
                # The address says nothing about which of its users this is.
                level = None
        levels[spec.name] = level
    return levels


class Scorer:
    """Scores pairs of profiles of one data kind with its shipped (or given) weights."""

    def __init__(self, kind: str = "applicant", weights: Weights | None = None) -> None:
        self.kind = kind
        self.fields = KINDS[kind]
        #: fields of the kind beyond the applicant's own, which profiles of this kind carry
        self.extra_fields: tuple[str, ...] = FEBRL_EXTRA_FIELDS if kind == "febrl" else ()
        self.weights = weights or shipped_weights(kind)
        # per field, its own weight table and the conditional one (see `FieldSpec.table`), looked up once
        self._tables = tuple(
            (
                spec,
                self.weights.levels[spec.name],
                self.weights.levels[f"{spec.name}|{spec.condition[0]}"] if spec.condition else None,
            )
            for spec in self.fields
        )

    def band(self, score: float, vetoed: bool, store_size: int | None = None) -> Band:
        """Return the band of a total weight: link, suggest (staff decide) or new.

        *store_size* is the number of applicants stored; the thresholds rise with it (`Weights.shift`).
        """
        shift = self.weights.shift(store_size)
        if vetoed or score < self.weights.suggest_threshold + shift:
            return "new"
        return "link" if score >= self.weights.link_threshold + shift else "suggest"

    def score(self, a: Profile, b: Profile, store_size: int | None = None) -> MatchResult:
        """Return the weighted verdict on whether *a* and *b* are the same person (symmetric)."""
        total = 0.0
        vetoed = False
        terms: list[Term] = []
        levels = comparison_vector(a, b, self.fields)
        for spec, own, conditional in self._tables:
            level = levels[spec.name]
            if level is None:
                continue
            if level in spec.veto_levels:
                vetoed = True
                terms.append((spec.name, level, None))
                continue
            weight = (conditional if conditional is not None and spec.conditioned(levels) else own)[level]
            total += weight
            terms.append((spec.name, level, weight))
        total = round(total, 6)
        return MatchResult(
            score=total, band=self.band(total, vetoed, store_size), terms=tuple(terms), vetoed=vetoed
        )
