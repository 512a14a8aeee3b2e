"""The shipped weights file against the scorer's fields, and the trainer's counting rules."""

from __future__ import annotations

import pytest

from triage.linking.profile import Profile
from triage.linking.score import KINDS, shipped_weights
from triage.linking.train import LEVELS, compatriot_u, count_levels


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_shipped_weights_cover_every_table_and_level_of_the_kind(kind: str) -> None:
    weights = shipped_weights(kind)
    for spec in KINDS[kind]:
        tables = [spec.name] + ([f"{spec.name}|{spec.condition[0]}"] if spec.condition else [])
        for table in tables:
            assert set(weights.levels[table]) == set(LEVELS[spec.name]), table
    assert weights.suggest_threshold < weights.link_threshold
    assert weights.minimum_size <= weights.reference_size


def _record(truth: str, **fields: str) -> tuple[str, Profile]:
    return truth, Profile.from_mapping(fields)


def test_compatriot_u_counts_pairs_of_different_people_in_one_country_only() -> None:
    records = [
        _record("a", full_name="Jan Kowal", country_of_residence="PL", nationality="PL"),
        _record("a", full_name="Jan Kowal", country_of_residence="PL", nationality="PL"),
        _record("b", full_name="Oleh Bondar", country_of_residence="PL", nationality="UA"),
        _record("c", full_name="Emma Weber", country_of_residence="DE", nationality="DE"),
        _record("d", full_name="Piotr Mazur", phone="+48501234567", nationality="PL"),
    ]
    counts = compatriot_u(records, KINDS["applicant"])
    # a-b twice (different), a-d twice (exact, Poland by phone), b-d once (different); never a-a or c
    assert counts["nationality|place"] == {"different": 3, "exact": 2}


def test_count_levels_tallies_a_shared_mailbox_of_two_names_nowhere() -> None:
    records = [
        _record("a", full_name="Olena Tkachenko", email="family@mail.example"),
        _record("b", full_name="Taras Tkachenko", email="family@mail.example"),
    ]
    _, u = count_levels(records, KINDS["applicant"], None)
    assert sum(u["email"].values()) == 0 and sum(u["email|name"].values()) == 0
    assert u["name"] == {"different": 1}
