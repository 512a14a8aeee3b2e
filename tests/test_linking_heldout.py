"""Held-out persons through the link stage's matcher and store: precision, namesakes, family mailboxes.

The population comes from ``bench/heldout.py`` (never the dev set), a few hundred persons with the
hard cases put in on purpose; ``bench/heldout_bench.py`` measures the same at thousands of persons.
Here the deliberate namesakes state their birth dates, so they differ in address and birthday, and
the relatives of a family mailbox share one address and city under two names: neither may merge.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.heldout import HeldOut, heldout
from bench.store_stream import StoreStream, pairs_of, prf

PERSONS = 300


@pytest.fixture(scope="module")
def linked() -> Iterator[tuple[HeldOut, dict[int, list[str]]]]:
    data = heldout(persons=PERSONS, namesake_dob_rate=1.0)
    with StoreStream() as stream:
        for record in data.records:
            stream.link(record.record_id, record.extracted, record.embassy, record.language)
        yield data, stream.clusters()


def _persons_of(data: HeldOut, clusters: dict[int, list[str]]) -> list[set[str]]:
    person = {r.record_id: r.person for r in data.records}
    return [{person[record_id] for record_id in members} for members in clusters.values()]


def _merged(data: HeldOut, clusters: dict[int, list[str]], case: str) -> list[set[str]]:
    """The applicants holding two persons of one group of *case*."""
    groups = [set(group) for group in data.groups[case]]
    return [found for found in _persons_of(data, clusters) if any(len(found & g) > 1 for g in groups)]


def test_heldout_population_links_with_pairwise_precision_of_at_least_098(linked) -> None:  # type: ignore[no-untyped-def]
    data, clusters = linked
    by_person: dict[str, list[str]] = {}
    for record in data.records:
        by_person.setdefault(record.person, []).append(record.record_id)
    precision, recall, _ = prf(pairs_of(clusters.values()), pairs_of(by_person.values()))
    assert data.persons > PERSONS and len(data.records) > 1.5 * data.persons
    assert precision >= 0.98, (precision, recall)
    assert recall >= 0.8, (precision, recall)


def test_heldout_namesakes_with_other_addresses_and_birthdays_stay_apart(linked) -> None:  # type: ignore[no-untyped-def]
    data, clusters = linked
    assert any(len(group) >= 6 for group in data.groups["namesakes"])  # the James Smiths
    assert _merged(data, clusters, "namesakes") == []


def test_heldout_family_mailbox_under_two_names_stays_two_applicants(linked) -> None:  # type: ignore[no-untyped-def]
    data, clusters = linked
    assert len(data.groups["family"]) >= 8
    assert _merged(data, clusters, "family") == []


def test_heldout_shared_birthdays_stay_apart(linked) -> None:  # type: ignore[no-untyped-def]
    data, clusters = linked
    assert _merged(data, clusters, "birthday") == []
