"""Union-find over applicant ids that keeps clusters transitive and honours staff's cannot-link pairs.

`Clusters.union` joins two clusters unless some pair of members was rejected by staff
(`Clusters.forbid`); the refusal is returned, not raised, so the caller records it as a decision.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class Clusters(Generic[T]):
    """Disjoint sets with path halving, union by size, and cannot-link constraints between sets."""

    def __init__(self) -> None:
        self._parent: dict[T, T] = {}
        self._size: dict[T, int] = {}
        # root -> roots of the clusters it must never join; kept symmetric and re-keyed on union
        self._forbidden: dict[T, set[T]] = {}

    def add(self, item: T) -> None:
        """Make *item* a cluster of its own if it is not known yet."""
        if item not in self._parent:
            self._parent[item] = item
            self._size[item] = 1

    def find(self, item: T) -> T:
        """Return the representative of *item*'s cluster (adding *item* if unknown)."""
        self.add(item)
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def same(self, a: T, b: T) -> bool:
        return self.find(a) == self.find(b)

    def can_union(self, a: T, b: T) -> bool:
        """Return False if joining the clusters of *a* and *b* would put a rejected pair together."""
        root_a, root_b = self.find(a), self.find(b)
        return root_a == root_b or root_b not in self._forbidden.get(root_a, ())

    def union(self, a: T, b: T) -> bool:
        """Join the clusters of *a* and *b*; return False (and change nothing) if a cannot-link forbids it."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        if not self.can_union(root_a, root_b):
            return False
        if self._size[root_a] < self._size[root_b]:
            root_a, root_b = root_b, root_a
        self._parent[root_b] = root_a
        self._size[root_a] += self._size.pop(root_b)
        moved = self._forbidden.pop(root_b, set())
        if moved:
            self._forbidden.setdefault(root_a, set()).update(moved)
            for other in moved:
                peers = self._forbidden[other]
                peers.discard(root_b)
                peers.add(root_a)
        return True

    def forbid(self, a: T, b: T) -> bool:
        """Record that *a* and *b* are different people; return False if they are already one cluster."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return False
        self._forbidden.setdefault(root_a, set()).add(root_b)
        self._forbidden.setdefault(root_b, set()).add(root_a)
        return True

    def members(self, item: T) -> list[T]:
        """Return every item in *item*'s cluster (a scan: for tests and audits, not the hot path)."""
        root = self.find(item)
        return [x for x in self._parent if self.find(x) == root]

    def groups(self) -> Iterator[list[T]]:
        """Yield every cluster as a list of its items."""
        by_root: dict[T, list[T]] = {}
        for item in list(self._parent):
            by_root.setdefault(self.find(item), []).append(item)
        yield from by_root.values()
