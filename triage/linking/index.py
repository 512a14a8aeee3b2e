"""An in-memory reference of the link decision: blocking index, scoring, bands and clusters.

`MemoryIndex` does, with dicts, what the store does with the (applicant_id, key) table: look up the
candidates of a new profile by its blocking keys, score it against each candidate applicant's merged
profile, and decide. The store-backed link stage follows the same steps (`decide` is shared), so the
tests, the dev-set measurement and the FEBRL benchmark exercise the production decision rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from triage.linking.cluster import Clusters
from triage.linking.keys import blocking_keys
from triage.linking.profile import Profile
from triage.linking.score import Band, MatchResult, Scorer

#: A blocking key that more stored applicants share than this is too common to bring candidates. An
#: applicant found only through such a key shares no more than a common name with the new profile
#: (identifiers and birth dates have keys of their own): with a million stored that stays below the
#: suggest band; in a small store it would be a suggestion among many namesakes. 20 instead of 50
#: brings a third fewer candidates at a million applicants and changed no decision there, in the
#: held-out populations or in FEBRL (docs/benchmarks.md).
DEFAULT_MAX_CANDIDATES_PER_KEY = 20


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with a new profile: ``link`` to ``applicant_id``, or create one (``new``/``suggest``).

    ``suggestions`` holds the candidates staff should review (band ``suggest``, or a second ``link``
    candidate that this decision did not merge), best first.
    """

    action: Band
    applicant_id: int | None
    result: MatchResult | None
    suggestions: list[tuple[int, MatchResult]] = field(default_factory=list)


def decide(scored: Iterable[tuple[int, MatchResult]]) -> Decision:
    """Given the scored candidate applicants of a new profile, return the decision.

    The best-scoring ``link`` candidate is linked; any other candidate scoring ``link`` or
    ``suggest`` becomes a merge suggestion (a profile never silently bridges two applicants).
    Ties are broken by the lower applicant id, so the outcome is deterministic.
    """
    ranked = sorted(scored, key=lambda pair: (-pair[1].score, pair[0]))
    best_link = next(((aid, r) for aid, r in ranked if r.band == "link"), None)
    reviewable = [(aid, r) for aid, r in ranked if r.band in ("link", "suggest")]
    if best_link is not None:
        others = [(aid, r) for aid, r in reviewable if aid != best_link[0]]
        return Decision("link", best_link[0], best_link[1], others)
    if reviewable:
        return Decision("suggest", None, reviewable[0][1], reviewable)
    return Decision("new", None, ranked[0][1] if ranked else None)


class MemoryIndex:
    """Applicants held in memory: merged profiles, a key → applicant ids index, and clusters."""

    def __init__(
        self,
        kind: str = "applicant",
        scorer: Scorer | None = None,
        max_candidates_per_key: int = DEFAULT_MAX_CANDIDATES_PER_KEY,
    ) -> None:
        self.kind = kind
        self.scorer = scorer or Scorer(kind)
        self.max_candidates_per_key = max_candidates_per_key
        self.profiles: dict[int, Profile] = {}
        self.postings: dict[str, list[int]] = {}
        self.clusters: Clusters[int] = Clusters()
        self._next_id = 1

    def candidates(self, keys: Iterable[str]) -> list[int]:
        """Return the applicant ids sharing a key, skipping keys held by too many applicants."""
        found: set[int] = set()
        for key in keys:
            ids = self.postings.get(key)
            if ids and len(ids) <= self.max_candidates_per_key:
                found.update(self.clusters.find(i) for i in ids)
        return sorted(found)

    def merge(self, a: int, b: int) -> bool:
        """Join applicants *a* and *b* as staff decided; False if a cannot-link pair forbids it."""
        root_a, root_b = self.clusters.find(a), self.clusters.find(b)
        if root_a == root_b:
            return True
        if not self.clusters.union(root_a, root_b):
            return False
        root = self.clusters.find(root_a)
        other = root_b if root == root_a else root_a
        self.profiles[root] = self.profiles[root].merged(self.profiles.pop(other))
        return True

    def reject(self, a: int, b: int) -> bool:
        """Record staff's verdict that *a* and *b* are different people; False if already merged."""
        return self.clusters.forbid(a, b)

    def match(self, profile: Profile) -> Decision:
        """Return the decision for *profile* without changing the index."""
        keys = blocking_keys(profile, self.kind)
        size = len(self.profiles)
        scored = [
            (aid, self.scorer.score(profile, self.profiles[aid], size)) for aid in self.candidates(keys)
        ]
        return decide(scored)

    def add(self, profile: Profile) -> tuple[int, Decision]:
        """Match *profile*, then link it or store it as a new applicant; return its applicant id.

        Postings keep the id the key was first stored under; lookups map ids to their cluster's
        representative, so a staff merge needs no re-indexing.
        """
        decision = self.match(profile)
        if decision.action == "link" and decision.applicant_id is not None:
            applicant_id = decision.applicant_id
            self.profiles[applicant_id] = self.profiles[applicant_id].merged(profile)
        else:
            applicant_id = self._next_id
            self._next_id += 1
            self.profiles[applicant_id] = profile
            self.clusters.add(applicant_id)
        for key in blocking_keys(profile, self.kind):
            ids = self.postings.setdefault(key, [])
            if applicant_id not in ids:
                ids.append(applicant_id)
        return applicant_id, decision

    def add_mapping(self, mapping: Mapping[str, object]) -> tuple[int, Decision]:
        """Build a profile from an extracted applicant mapping and `add` it."""
        return self.add(Profile.from_mapping(mapping))
