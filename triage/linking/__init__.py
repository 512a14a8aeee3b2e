"""De-duplication core: applicant profiles matched across scripts, addresses and embassies (no database code).

The link stage uses it in five steps, each a pure function the store wraps:

1. ``profile = Profile.from_mapping(applicant)`` (`triage.linking.profile`): normalised identifiers.
2. ``keys = blocking_keys(profile)`` (`triage.linking.keys`): rows of the indexed (applicant_id, key)
   table; candidates are ``SELECT DISTINCT applicant_id ... WHERE key IN (:keys)``, skipping keys that
   already hold more than `triage.linking.index.DEFAULT_MAX_CANDIDATES_PER_KEY` applicants.
3. ``Scorer().score(profile, Profile.from_mapping(stored), store_size)`` (`triage.linking.score`) per
   candidate applicant, *stored* being the applicant's merged profile (`Profile.to_mapping`).
4. ``decide([(applicant_id, result), ...])`` (`triage.linking.index`): link, suggest or new; store
   the decision with ``result.score`` and ``result.reasons``.
5. On link, store ``stored.merged(profile).to_mapping()`` and the new profile's keys for the
   applicant. Staff merges and cannot-link rejections go through `triage.linking.cluster.Clusters`.

`triage.linking.index.MemoryIndex` does all of it in memory; tests and benchmarks use it.
"""
