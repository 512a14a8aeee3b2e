"""Link latency per new applicant with a million applicants stored, on SQLite and on PostgreSQL.

    .venv/bin/python bench/link_bench.py [--backend sqlite|postgresql|both] [--applicants 1000000]
        [--links 2000] [--warmup 200] [--keep PATH] [--keep-postgresql] [--breakdown] [--profile N]

1. A seeded synthetic population (`bench/population.py`) is loaded straight into the tables of a
   freshly migrated database: the applicant rows with their ``profile``/``fields`` JSON and columns,
   and their ``applicant_key`` rows from `triage.linking.keys.blocking_keys`. Worker processes build
   the rows; SQLite takes them by ``executemany`` with the table's secondary indexes dropped and
   rebuilt afterwards, PostgreSQL by ``COPY`` (then ``VACUUM (ANALYZE)``, as autovacuum would). The
   preloaded applicants have no messages; those that the link phase duplicates get one, so that
   `refresh` rebuilds them as it would in production. ``--keep PATH`` keeps the loaded SQLite file
   and reuses it (copied) on the next run with the same ``--applicants`` and seed.
2. ``--links`` new messages, half of them from stored people (a new address, the name in another
   script or romanisation, a typo; fields dropped at random) and half from people never seen, go one
   at a time through the link stage exactly as the pipeline runs it (`Pipeline.run_one`: claim, link
   stage, status, commit). The message row is written beforehand, untimed, as fetch and extract would.
   ``--warmup`` links of other new people go first, untimed (a running daemon's caches are warm).
3. Printed per backend: load time, p50/p95/p99 of the link transaction, link/new/suggestion counts,
   pairwise precision and recall of the decisions against the generating truth, peak RSS, and the
   load average (other work on the machine skews the latencies), and two reference figures of the
   machine (a fixed piece of Python, a ``SELECT 1`` round trip) for comparing runs on different
   machines. ``--breakdown`` adds the time per step of `link_applicant`, in the driver and in COMMIT,
   and the latency by candidate count; ``--profile N`` a cProfile of N links.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import multiprocessing
import os
import pstats
import resource
import secrets
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import timeit
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import psycopg  # noqa: E402
from population import (  # noqa: E402
    VARIATIONS,
    duplicate_extraction,
    new_extraction,
    person,
    stored_extraction,
)
from psycopg import sql  # noqa: E402
from sqlalchemy import Engine, select  # noqa: E402

from triage.extraction import FIELDS  # noqa: E402
from triage.linking.keys import blocking_keys  # noqa: E402
from triage.linking.profile import Profile  # noqa: E402
from triage.pipeline import Pipeline  # noqa: E402
from triage.stages.link import LinkStage  # noqa: E402
from triage.store.db import make_engine, make_sessions  # noqa: E402
from triage.store.models import (  # noqa: E402
    Applicant,
    ApplicantKey,
    ApplicantMessage,
    LinkDecision,
    MergeSuggestion,
    Message,
    MessageStatus,
)
from triage.store.schema import upgrade  # noqa: E402

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
CHUNK = 20_000
LOADED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
APPLICANT_COLUMNS = (
    "id",
    "status",
    "created_at",
    "updated_at",
    "profile",
    "fields",
    "full_name",
    "email",
    "phone",
    "nationality",
    "country_of_residence",
    "date_of_birth",
    "city",
    "language",
    "military_experience",
    "message_count",
    "last_message_at",
)


class FixedClock:
    """The bench's clock: link times advance a second per message, deterministically."""

    def __init__(self) -> None:
        self.current = LOADED_AT + timedelta(days=30)

    def now(self) -> datetime:
        return self.current


# -- generation (in worker processes) ------------------------------------------------------------------------


def _fields(extracted: dict[str, Any]) -> dict[str, Any]:
    """The applicant's ``fields`` as `refresh` would build them from one message."""
    out: dict[str, Any] = {}
    for field in FIELDS:
        value = extracted.get(field)
        if field in ("specialties", "languages"):
            out[field] = {"value": value or [], "confidence": None, "message_pk": None, "others": []}
        else:
            out[field] = {
                "value": value,
                "confidence": 0.9 if value is not None else None,
                "message_pk": None,
                "others": [],
            }
    return out


def generate(seed: int, start: int, stop: int) -> tuple[list[tuple[Any, ...]], list[tuple[int, str]]]:
    """Applicant rows (APPLICANT_COLUMNS, JSON as text) and key rows of applicants start+1 .. stop."""
    applicants: list[tuple[Any, ...]] = []
    keys: list[tuple[int, str]] = []
    for index in range(start, stop):
        applicant_id = index + 1
        extracted = stored_extraction(seed, person(seed, index))
        profile = Profile.from_mapping(extracted)
        fields = _fields(extracted)
        created = LOADED_AT - timedelta(minutes=index % 500_000)
        applicants.append(
            (
                applicant_id,
                "active",
                created,
                created,
                json.dumps(profile.to_mapping()),
                json.dumps(fields),
                extracted["full_name"][:320],
                extracted["email"],
                extracted["phone"],
                extracted["nationality"],
                extracted["country_of_residence"],
                extracted["date_of_birth"],
                extracted["city"],
                "en",
                extracted["military_experience"],
                1,
                created,
            )
        )
        keys.extend((applicant_id, key[:200]) for key in blocking_keys(profile))
    return applicants, keys


def _generate_star(args: tuple[int, int, int]) -> tuple[list[tuple[Any, ...]], list[tuple[int, str]]]:
    return generate(*args)


def chunks(
    seed: int, count: int, workers: int
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[int, str]]]]:
    tasks = [(seed, start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]
    if workers <= 1:
        yield from map(_generate_star, tasks)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_generate_star, tasks)


# -- loading -------------------------------------------------------------------------------------------------


def _secondary_indexes() -> list[Any]:
    return [index for model in (Applicant, ApplicantKey) for index in model.__table__.indexes]


def _sqlite_time(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def load_sqlite(path: Path, seed: int, count: int, workers: int) -> float:
    """Create and fill the SQLite file *path*; return the seconds taken."""
    start = time.perf_counter()
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    db = sqlite3.connect(path, isolation_level=None)
    # bench-only: the load needs no durability; the project's engine sets WAL again on every connect
    for pragma in (
        "journal_mode=DELETE",
        "journal_mode=OFF",
        "synchronous=OFF",
        "cache_size=-1000000",
        "foreign_keys=OFF",
        "temp_store=MEMORY",
    ):
        db.execute(f"PRAGMA {pragma}")
    for index in _secondary_indexes():
        db.execute(f"DROP INDEX {index.name}")
    marks = ",".join("?" * len(APPLICANT_COLUMNS))
    # the column names are this file's constants, not input
    insert_applicant = f"INSERT INTO applicant ({','.join(APPLICANT_COLUMNS)}) VALUES ({marks})"
    done = 0
    for applicants, keys in chunks(seed, count, workers):
        db.execute("BEGIN")
        db.executemany(
            insert_applicant,
            (
                (
                    *row[:2],
                    _sqlite_time(row[2]),
                    _sqlite_time(row[3]),
                    *row[4:14],
                    None if row[14] is None else int(row[14]),
                    row[15],
                    _sqlite_time(row[16]),
                )
                for row in applicants
            ),
        )
        db.executemany("INSERT INTO applicant_key (applicant_id, key) VALUES (?, ?)", keys)
        db.execute("COMMIT")
        done += len(applicants)
        _progress("sqlite", done, count, start)
    indexed = time.perf_counter()
    for index in _secondary_indexes():
        columns = ", ".join(c.name for c in index.columns)
        db.execute(
            f"CREATE {'UNIQUE ' if index.unique else ''}INDEX {index.name} ON {index.table.name} ({columns})"
        )
    print(f"\n  sqlite: secondary indexes rebuilt in {time.perf_counter() - indexed:.1f}s")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    return time.perf_counter() - start


def in_child(function: Any, *args: Any) -> Any:
    """Run *function* in a child process (the loader's heap stays out of the link phase's RSS)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def target() -> None:
        send.send(function(*args))

    child = context.Process(target=target)
    child.start()
    result = receive.recv()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"loader exited {child.exitcode}")
    return result


def _pg_admin() -> psycopg.Connection[Any]:
    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True)


def load_postgresql(name: str, seed: int, count: int, workers: int) -> float:
    """Create database *name* and fill it; return the seconds taken."""
    start = time.perf_counter()
    with _pg_admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    engine = make_engine(_pg_url(name))
    upgrade(engine)
    engine.dispose()
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=name, autocommit=True) as db:
        db.execute("SET session_replication_role = replica")  # bench-only: no FK triggers while loading
        db.execute("SET maintenance_work_mem = '1GB'")
        for index in _secondary_indexes():
            db.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(index.name)))
        done = 0
        for applicants, keys in chunks(seed, count, workers):
            with db.transaction(), db.cursor() as cur:
                columns = sql.SQL(", ").join(map(sql.Identifier, APPLICANT_COLUMNS))
                with cur.copy(sql.SQL("COPY applicant ({}) FROM STDIN").format(columns)) as copy:
                    for row in applicants:
                        copy.write_row(row)
                with cur.copy("COPY applicant_key (applicant_id, key) FROM STDIN") as copy:
                    for key_row in keys:
                        copy.write_row(key_row)
            done += len(applicants)
            _progress("postgresql", done, count, start)
        indexed = time.perf_counter()
        for index in _secondary_indexes():
            columns = sql.SQL(", ").join(sql.Identifier(c.name) for c in index.columns)
            db.execute(
                sql.SQL("CREATE {}INDEX {} ON {} ({})").format(
                    sql.SQL("UNIQUE " if index.unique else ""),
                    sql.Identifier(index.name),
                    sql.Identifier(index.table.name),
                    columns,
                )
            )
        db.execute("SELECT setval(pg_get_serial_sequence('applicant', 'id'), %s)", (count,))
        # what autovacuum does to an insert-only table: statistics, and the visibility map that
        # index-only scans need
        db.execute("VACUUM (ANALYZE)")
        print(
            f"\n  postgresql: secondary indexes rebuilt, vacuumed and analysed in "
            f"{time.perf_counter() - indexed:.1f}s"
        )
    return time.perf_counter() - start


def _pg_url(name: str) -> str:
    return f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


def _progress(label: str, done: int, count: int, start: float) -> None:
    print(
        f"\r  {label}: {done:,}/{count:,} applicants in {time.perf_counter() - start:.0f}s",
        end="",
        flush=True,
    )


# -- where the time goes -------------------------------------------------------------------------------------


class Breakdown:
    """Wall time per step of `link_applicant` and in the database driver, summed over the links.

    The steps are the module-level functions `link_applicant` calls, wrapped in place; the driver time
    is measured between SQLAlchemy's before/after_cursor_execute events (statements and their count).
    """

    STEPS = (
        "_claim",
        "_lock_keys",
        "candidates",
        "linked_rows",
        "canonical",
        "index_keys",
        "suggest",
        "blocking_keys",
        "decide",
        "link_applicant",
    )

    def __init__(self) -> None:
        from triage import pipeline
        from triage.applicants import matching
        from triage.stages import link

        self.active = False
        self.seconds: dict[str, float] = {}
        self.statements = 0
        self._started: list[float] = []
        for step in self.STEPS:
            module = {"link_applicant": link, "_claim": pipeline}.get(step, matching)
            setattr(module, step, self._timed(step, getattr(module, step)))
        matching.Scorer.score = self._timed("score", matching.Scorer.score)  # type: ignore[method-assign]
        # COMMIT goes to the driver's connection.commit(), not through a cursor: time it apart
        from sqlalchemy.engine import Connection

        Connection._commit_impl = self._timed("commit", Connection._commit_impl)  # type: ignore[method-assign]
        self.candidates: list[int] = []
        found = matching.candidates

        def counted(*args: Any, **kwargs: Any) -> Any:
            result = found(*args, **kwargs)
            if self.active:
                self.candidates.append(len(result.profiles))
            return result

        matching.candidates = counted

    def attach(self, engine: Engine) -> None:
        """Count the statements of *engine* from now on, and start the sums again."""
        from sqlalchemy import event

        self.seconds = dict.fromkeys((*self.STEPS, "score", "sql", "commit"), 0.0)
        self.statements = 0
        self.candidates = []

        @event.listens_for(engine, "before_cursor_execute")
        def _before(*_: Any) -> None:
            self._started.append(time.perf_counter())

        @event.listens_for(engine, "after_cursor_execute")
        def _after(*_: Any) -> None:
            elapsed = time.perf_counter() - self._started.pop()
            if self.active:
                self.seconds["sql"] += elapsed
                self.statements += 1

    def _timed(self, step: str, function: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                if self.active:
                    self.seconds[step] += time.perf_counter() - start

        return timed

    def by_candidates(self, latencies: list[float]) -> None:
        """Print the latency of links by how many candidates they scored, and its least-squares line."""
        pairs = list(zip(self.candidates, latencies, strict=True))
        fit = statistics.linear_regression([c for c, _ in pairs], [t * 1000 for _, t in pairs])
        print(f"latency ≈ {fit.intercept:.2f} ms + {fit.slope * 1000:.1f} µs per candidate")
        for low, high in ((0, 9), (10, 29), (30, 49), (50, 1000)):
            times = sorted(t * 1000 for c, t in pairs if low <= c <= high)
            if times:
                print(
                    f"  {low:>2}-{high:<4} candidates: {len(times):4d} links, "
                    f"median {statistics.median(times):.2f} ms, p95 {times[int(len(times) * 0.95)]:.2f} ms"
                )

    def print(self, links: int, total: float) -> None:
        print(
            f"per link (mean ms): whole transaction {total / links * 1000:.2f}; "
            f"in the driver {self.seconds['sql'] / links * 1000:.2f} over "
            f"{self.statements / links:.1f} statements"
        )
        for step in (*self.STEPS, "score", "commit"):
            print(f"  {step:15s} {self.seconds[step] / links * 1000:6.2f}")
        ranked = sorted(self.candidates)
        print(
            f"candidates per link: mean {statistics.mean(ranked):.1f}, "
            f"p95 {ranked[int(len(ranked) * 0.95)]}, max {ranked[-1]}"
        )


# -- linking -------------------------------------------------------------------------------------------------


def warmup_cases(
    seed: int, count: int, links: int, warmup: int
) -> list[tuple[str, int | None, dict[str, Any]]]:
    """People never seen, linked first and untimed: the caches of a daemon that has been running."""
    return [("new", None, new_extraction(seed, person(seed, count + links + n))) for n in range(warmup)]


def link_cases(seed: int, count: int, links: int) -> list[tuple[str, int | None, dict[str, Any]]]:
    """(variation or "new", stored applicant id or None, extracted) for each new message, in order."""
    import random

    rng = random.Random(seed)
    targets = rng.sample(range(count), links // 2)
    cases: list[tuple[str, int | None, dict[str, Any]]] = []
    for n, index in enumerate(targets):
        variation = VARIATIONS[n % len(VARIATIONS)]
        cases.append((variation, index + 1, duplicate_extraction(seed, person(seed, index), variation)))
    for n in range(links - len(targets)):
        cases.append(("new", None, new_extraction(seed, person(seed, count + n))))
    rng.shuffle(cases)
    return cases


def _message(
    n: int, extracted: dict[str, Any], now: datetime, status: MessageStatus, prefix: str = "bench"
) -> Message:
    return Message(
        dedupe_key=f"{prefix}-{n}",
        sha256=f"{prefix}{n}",
        message_id_header=f"<{prefix}-{n}@bench.example>",
        raw=b"",
        size=0,
        status=status,
        attempts=0,
        created_at=now,
        updated_at=now,
        date_sent=now,
        category="application",
        language="en",
        embassy_code="pl",
        extraction={"language": "en", "applicants": [extracted], "candidates": []},
    )


def give_targets_their_message(
    engine: Engine, seed: int, cases: list[tuple[str, int | None, dict[str, Any]]]
) -> None:
    """The stored applicants the link phase duplicates get their first message, untimed."""
    sessions = make_sessions(engine)
    with sessions.begin() as session:
        for n, (_, target, _) in enumerate(cases):
            if target is None:
                continue
            extracted = stored_extraction(seed, person(seed, target - 1))
            message = _message(n, extracted, LOADED_AT, MessageStatus.done, "first")
            session.add(message)
            session.flush()
            session.add(
                ApplicantMessage(
                    applicant_id=target, message=message, position=0, extracted=extracted, linked_at=LOADED_AT
                )
            )


def run_links(
    engine: Engine,
    cases: list[tuple[str, int | None, dict[str, Any]]],
    profile_links: int,
    breakdown: Breakdown | None = None,
    prefix: str = "bench",
) -> tuple[list[float], list[int], pstats.Stats | None]:
    """Link every case through `Pipeline.run_one`; return the seconds of each and the applicant of each."""
    sessions = make_sessions(engine)
    clock = FixedClock()
    stage = LinkStage(clock)
    pipeline = Pipeline(sessions, clock, [stage])
    latencies: list[float] = []
    owners: list[int] = []
    profiler = cProfile.Profile() if profile_links else None
    for n, (_, _, extracted) in enumerate(cases):
        clock.current += timedelta(seconds=1)
        with sessions.begin() as session:
            message = _message(n, extracted, clock.now(), MessageStatus.extracted, prefix)
            session.add(message)
            session.flush()
            message_pk = message.id
        profiling = profiler is not None and n < profile_links
        if profiling:
            profiler.enable()
        if breakdown is not None:
            breakdown.active = True
        start = time.perf_counter()
        outcome = pipeline.run_one(stage, message_pk)
        latencies.append(time.perf_counter() - start)
        if breakdown is not None:
            breakdown.active = False
        if profiling:
            profiler.disable()
        if outcome != "done":
            raise SystemExit(f"link of case {n} ended {outcome}")
        with sessions() as session:
            owners.append(
                session.scalar(
                    select(ApplicantMessage.applicant_id).where(ApplicantMessage.message_pk == message_pk)
                )
            )
    stats = pstats.Stats(profiler, stream=io.StringIO()) if profiler is not None else None
    return latencies, owners, stats


def pairwise(
    cases: list[tuple[str, int | None, dict[str, Any]]], owners: list[int], count: int
) -> tuple[float, float]:
    """Pairwise precision and recall over the new records and the stored applicants they touch."""
    predicted: dict[int, set[str]] = {}
    truth: dict[str, set[str]] = {}
    count_known = {t for _, t, _ in cases if t is not None}
    for n, ((_, target, _), owner) in enumerate(zip(cases, owners, strict=True)):
        record = f"new{n}"
        predicted.setdefault(owner, set()).add(record)
        truth.setdefault(f"stored{target}" if target else record, set()).add(record)
    for applicant_id, members in predicted.items():
        if applicant_id <= count:
            members.add(f"stored{applicant_id}")  # the preloaded applicant's own first record
    for target in count_known:
        truth[f"stored{target}"].add(f"stored{target}")
    pairs_p = {frozenset(p) for m in predicted.values() for p in combinations(sorted(m), 2)}
    pairs_t = {frozenset(p) for m in truth.values() for p in combinations(sorted(m), 2)}
    tp = len(pairs_p & pairs_t)
    return (tp / len(pairs_p) if pairs_p else 1.0), (tp / len(pairs_t) if pairs_t else 1.0)


def summary(
    engine: Engine,
    cases: list[tuple[str, int | None, dict[str, Any]]],
    owners: list[int],
    count: int,
    suggestions_before: int,
) -> dict[str, Any]:
    sessions = make_sessions(engine)
    with sessions() as session:
        decisions = list(
            session.scalars(
                select(LinkDecision.action)
                .join(Message, Message.id == LinkDecision.message_pk)
                .where(Message.dedupe_key.like("bench-%"))
            )
        )
        candidates = {
            pk: [c["applicant_id"] for c in found]
            for pk, found in session.execute(select(LinkDecision.message_pk, LinkDecision.candidates))
        }
        message_pks = dict(
            session.execute(
                select(Message.dedupe_key, Message.id).where(Message.dedupe_key.like("bench-%"))
            ).all()
        )
        suggestions = list(
            session.execute(select(MergeSuggestion.applicant_a_id, MergeSuggestion.applicant_b_id))
        )
    suggested = {frozenset(pair) for pair in suggestions}
    by_variation: dict[str, list[int]] = {}
    for n, ((variation, target, _), owner) in enumerate(zip(cases, owners, strict=True)):
        # cases, right link, wrong link, suggested, missed with the target not among the candidates
        row = by_variation.setdefault(variation, [0, 0, 0, 0, 0])
        row[0] += 1
        if target is None:
            row[2] += owner <= count
        elif owner == target:
            row[1] += 1
        else:
            row[2] += owner <= count
            row[3] += frozenset((owner, target)) in suggested
            row[4] += target not in candidates[message_pks[f"bench-{n}"]]
    precision, recall = pairwise(cases, owners, count)
    return {
        "link": decisions.count("link"),
        "new": decisions.count("new"),
        "suggestions": len(suggestions) - suggestions_before,
        "precision": precision,
        "recall": recall,
        "by_variation": by_variation,
    }


def rss_mb() -> tuple[float, float]:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    current = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            current = int(line.split()[1]) / 1024
    return current, peak


def percentile_ms(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000


def report(
    backend: str,
    load_seconds: float | None,
    latencies: list[float],
    result: dict[str, Any],
    stats: pstats.Stats | None,
) -> None:
    current, peak = rss_mb()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lat = " / ".join(f"{percentile_ms(latencies, q):.2f}" for q in (50, 95, 99))
    print(f"\n== {backend}")
    if load_seconds is not None:
        print(f"load: {load_seconds:.1f}s")
    print(
        f"link transaction ms p50 / p95 / p99: {lat}   (mean {statistics.mean(latencies) * 1000:.2f}, "
        f"max {max(latencies) * 1000:.1f}, n={len(latencies)})"
    )
    print(f"decisions: link {result['link']}, new {result['new']}, merge suggestions {result['suggestions']}")
    print(f"pairwise precision {result['precision']:.4f}, recall {result['recall']:.4f}")
    for variation, (n, right, wrong, suggested, unblocked) in sorted(result["by_variation"].items()):
        if variation == "new":
            print(f"  new person     {n:5d}: wrongly linked to a stored applicant {wrong}")
        else:
            print(
                f"  dup {variation:14s} {n:5d}: linked right {right}, linked wrong {wrong}, "
                f"missed {n - right - wrong} (suggested to staff {suggested}; "
                f"target not among the candidates recorded {unblocked})"
            )
    print(
        f"RSS: now {current:.0f} MB, peak {peak:.0f} MB (this process); loader workers peak {children:.0f} MB"
    )
    if stats is not None:
        stream = io.StringIO()
        stats.stream = stream
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(30)
        print(stream.getvalue())


# -- main ----------------------------------------------------------------------------------------------------


def bench_sqlite(args: argparse.Namespace, cases: list[tuple[str, int | None, dict[str, Any]]]) -> None:
    with tempfile.TemporaryDirectory(prefix="triage-link-bench-", dir=args.tmp) as tmp:
        work = Path(tmp) / "bench.db"
        load_seconds: float | None = None
        kept = Path(args.keep) if args.keep else None
        if kept is not None and kept.exists() and _sqlite_size(kept) == (args.applicants, args.seed):
            print(f"sqlite: reusing {kept}")
        else:
            target = kept or Path(tmp) / "loaded.db"
            target.unlink(missing_ok=True)
            load_seconds = in_child(load_sqlite, target, args.seed, args.applicants, args.workers)
            with sqlite3.connect(target) as db:
                db.execute("CREATE TABLE bench_meta (applicants INTEGER, seed INTEGER)")
                db.execute("INSERT INTO bench_meta VALUES (?, ?)", (args.applicants, args.seed))
            kept = target
        shutil.copyfile(kept, work)
        print(f"sqlite file: {work.stat().st_size / 1e9:.2f} GB")
        engine = make_engine(f"sqlite:///{work}")
        _link_and_report("sqlite", engine, args, cases, load_seconds)
        engine.dispose()


def _sqlite_size(path: Path) -> tuple[int, int] | None:
    try:
        with sqlite3.connect(path) as db:
            row = db.execute("SELECT applicants, seed FROM bench_meta").fetchone()
    except sqlite3.Error:
        return None
    return (row[0], row[1]) if row else None


def bench_postgresql(args: argparse.Namespace, cases: list[tuple[str, int | None, dict[str, Any]]]) -> None:
    name = f"triage_link_bench_{secrets.token_hex(4)}"
    kept = f"triage_link_bench_kept_{args.applicants}_{args.seed}"
    try:
        load_seconds: float | None = None
        with _pg_admin() as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (kept,)).fetchone()
        if args.keep_postgresql and exists:
            print(f"postgresql: cloning {kept}")
        else:
            load_seconds = in_child(
                load_postgresql,
                name if not args.keep_postgresql else kept,
                args.seed,
                args.applicants,
                args.workers,
            )
        if args.keep_postgresql:
            start = time.perf_counter()
            with _pg_admin() as admin:
                admin.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(kept)
                    )
                )
            with _pg_admin() as admin:
                # the clone went through the WAL and shared buffers: write it out before timing
                admin.execute("CHECKPOINT")
            print(f"postgresql: cloned in {time.perf_counter() - start:.1f}s")
        engine = make_engine(_pg_url(name))
        _link_and_report("postgresql", engine, args, cases, load_seconds)
        engine.dispose()
    finally:
        with _pg_admin() as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def _link_and_report(
    backend: str,
    engine: Engine,
    args: argparse.Namespace,
    cases: list[tuple[str, int | None, dict[str, Any]]],
    load_seconds: float | None,
) -> None:
    give_targets_their_message(engine, args.seed, cases)
    os.sync()  # the copy or clone just written must not be flushed to disk while links are timed
    if args.warmup:
        run_links(
            engine,
            warmup_cases(args.seed, args.applicants, args.links, args.warmup),
            0,
            None,
            prefix="warmup",
        )
    gc.collect()
    with make_sessions(engine)() as session:
        suggestions_before = len(session.scalars(select(MergeSuggestion.id)).all())
    before = rss_mb()[0]
    if BREAKDOWN is not None:
        BREAKDOWN.attach(engine)
    latencies, owners, stats = run_links(engine, cases, args.profile, BREAKDOWN)
    print(f"\n{backend}: RSS before the links {before:.0f} MB, after {rss_mb()[0]:.0f} MB")
    # the load average tells whether something else shared the CPUs while the links were timed
    print(f"{backend}: load average after the links {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{backend}: machine reference: {machine_reference(engine)}")
    report(
        backend,
        load_seconds,
        latencies,
        summary(engine, cases, owners, args.applicants, suggestions_before),
        stats,
    )
    if BREAKDOWN is not None:
        BREAKDOWN.print(len(latencies), sum(latencies))
        BREAKDOWN.by_candidates(latencies)


def machine_reference(engine: Engine) -> str:
    """Two figures of the machine itself, to compare runs on different machines: a fixed piece of
    Python (best of 5) and the round trip of ``SELECT 1`` through the engine (median of 500)."""
    python = min(timeit.repeat("sum(range(1_000_000))", number=10, repeat=5)) / 10
    trips = []
    with engine.connect() as connection:
        statement = select(1)
        for _ in range(500):
            start = time.perf_counter()
            connection.execute(statement).all()
            trips.append(time.perf_counter() - start)
    return f"sum(range(10**6)) {python * 1000:.1f} ms, SELECT 1 {statistics.median(trips) * 1e6:.0f} µs"


BREAKDOWN: Breakdown | None = None


def main() -> None:
    global BREAKDOWN
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--applicants", type=int, default=1_000_000)
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=200, help="untimed links of new people first")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="loader processes")
    parser.add_argument("--keep", metavar="PATH", help="keep the loaded SQLite file here and reuse it")
    parser.add_argument(
        "--keep-postgresql",
        action="store_true",
        help="keep the loaded PostgreSQL database (triage_link_bench_kept_<applicants>_<seed>) "
        "and clone it for each run",
    )
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile the first N links")
    parser.add_argument("--tmp", help="directory for the working SQLite copy (default: the system's)")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="time each step of link_applicant and the statements it sends (adds a little)",
    )
    args = parser.parse_args()
    if args.breakdown:
        BREAKDOWN = Breakdown()
    cases = link_cases(args.seed, args.applicants, args.links)
    if args.backend in ("sqlite", "both"):
        bench_sqlite(args, cases)
    if args.backend in ("postgresql", "both"):
        bench_postgresql(args, cases)


if __name__ == "__main__":
    main()
