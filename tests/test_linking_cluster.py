"""Union-find clusters with staff cannot-link pairs."""

from __future__ import annotations

from triage.linking.cluster import Clusters


def test_union_is_transitive() -> None:
    clusters: Clusters[int] = Clusters()
    assert clusters.union(1, 2)
    assert clusters.union(2, 3)
    assert clusters.same(1, 3)
    assert sorted(clusters.members(3)) == [1, 2, 3]


def test_union_across_a_rejected_pair_is_refused() -> None:
    clusters: Clusters[int] = Clusters()
    clusters.union(1, 2)
    assert clusters.forbid(2, 5)
    clusters.union(5, 6)
    assert not clusters.union(1, 6)
    assert not clusters.same(1, 6)
    clusters.union(6, 7)
    clusters.union(1, 8)
    assert not clusters.can_union(8, 7)


def test_forbid_within_one_cluster_is_refused() -> None:
    clusters: Clusters[str] = Clusters()
    clusters.union("a", "b")
    assert not clusters.forbid("a", "b")
