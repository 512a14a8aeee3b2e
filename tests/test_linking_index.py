"""The in-memory reference of the link decision: bands, suggestions, staff merges."""

from __future__ import annotations

from triage.linking.index import MemoryIndex, decide
from triage.linking.profile import Profile
from triage.linking.score import MatchResult


def test_decide_links_best_and_suggests_the_other_link_candidate() -> None:
    decision = decide(
        [(4, MatchResult(30.0, "link")), (2, MatchResult(35.0, "link")), (9, MatchResult(1.0, "new"))]
    )
    assert (decision.action, decision.applicant_id) == ("link", 2)
    assert [aid for aid, _ in decision.suggestions] == [4]


def test_decide_without_link_candidate_suggests_or_creates() -> None:
    assert decide([(3, MatchResult(17.5, "suggest"))]).action == "suggest"
    assert decide([]).action == "new"


def test_memory_index_links_follow_up_from_new_address() -> None:
    index = MemoryIndex()
    first, _ = index.add(
        Profile.from_mapping(
            {
                "full_name": "Козлов Сергей Николаевич",
                "email": "s.kozlov@inbox.example",
                "phone": "+48789123456",
                "date_of_birth": "1990-10-17",
                "city": "Warsaw",
            }
        )
    )
    second, decision = index.add(
        Profile.from_mapping(
            {
                "full_name": "Siarhei Kazlou",
                "email": "siarhei.kazlou@post.example",
                "phone": "+48789123456",
                "date_of_birth": "1990-10-17",
                "city": "Warsaw",
            }
        )
    )
    assert decision.action == "link" and first == second
    assert "siarhei.kazlou@post.example" in index.profiles[first].emails


def test_memory_index_merge_after_reject_is_refused() -> None:
    index = MemoryIndex()
    first, _ = index.add(Profile.from_mapping({"full_name": "Jan Novak", "email": "jan.novak@mail.example"}))
    second, _ = index.add(Profile.from_mapping({"full_name": "Jan Novak", "email": "honza@post.example"}))
    third, _ = index.add(Profile.from_mapping({"full_name": "Jana Novakova", "email": "jana@post.example"}))
    assert len({first, second, third}) == 3
    assert index.reject(first, third)
    assert index.merge(first, second)
    assert not index.merge(second, third)
    assert index.candidates(["email:honza@post.example"]) == [index.clusters.find(first)]
