"""Web latency on a large queue: the draft queue and applicant search with 300,000 applicants and
50,000 pending drafts, on SQLite and on PostgreSQL.

    .venv/bin/python bench/web_bench.py [--backend sqlite|postgresql|both] [--applicants 300000]
        [--drafts 50000] [--requests 60]

A freshly migrated database is filled with generated rows (one message, copy and applicant per
person, half written to each of two embassies, name and email keys as linking stores them; the first
--drafts messages carry a pending draft). Then, in process (Starlette's test client, no network), two
staff users (every embassy; one embassy) request each page --requests times; the p50/p95 per page are
printed in milliseconds, the first request of each page untimed (a running server is warm).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from starlette.testclient import TestClient  # noqa: E402

from triage.app import App  # noqa: E402
from triage.settings import parse_settings  # noqa: E402
from triage.store.models import (  # noqa: E402
    Applicant,
    ApplicantKey,
    ApplicantMessage,
    Draft,
    Message,
    MessageCopy,
)
from triage.web import create_app  # noqa: E402
from triage.web.accounts import add_user  # noqa: E402
from triage.web.applicants import name_keys  # noqa: E402

EMBASSIES = [
    {"code": "pl", "name": "Embassy of Ukraine in Poland", "addresses": ["emb_pl@mfa.example"],
     "reply_from": "Embassy of Ukraine in Poland <emb_pl@mfa.example>"},
    {"code": "de", "name": "Embassy of Ukraine in Germany", "addresses": ["emb_de@mfa.example"],
     "reply_from": "Embassy of Ukraine in Germany <emb_de@mfa.example>"},
]
GIVEN = ["Oleksandr", "Олександр", "Mantas", "Travis", "Łukasz", "Andrés", "Bohdan", "Богдан", "Giorgi",
         "Florian", "Gareth", "Siarhei", "Сергей", "Tomasz", "Jan", "Pierre", "Marco", "Yuki", "Nikos"]
FAMILY = ["Kovalenko", "Коваленко", "Harmon", "Wróblewski", "Tkachuk", "Ткачук", "Steininger", "Pryce",
          "Kavalevich", "Žukauskas", "Beridze", "Nowak", "Müller", "Dubois", "Rossi", "Tanaka", "Papadakis"]
LANGUAGES = ["en", "uk", "pl", "de", "es", "fr", "ru", "ja", "pt"]
CHUNK = 10_000
PASSWORD = "bench-password-1"


def people(count: int, seed: int = 7) -> Iterator[tuple[int, str, str, str, str]]:
    rng = random.Random(seed)
    for i in range(1, count + 1):
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}{'' if rng.random() < 0.7 else str(i % 97)}"
        email = f"person{i}@mail{i % 50}.example"
        phone = f"+4860{i:07d}"
        yield i, name, email, phone, "pl" if i % 2 else "de"


def fill(app: App, applicants: int, drafts: int) -> float:
    started = time.perf_counter()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with app.engine.begin() as conn:
        batch: dict[str, list[dict[str, Any]]] = {"m": [], "c": [], "a": [], "am": [], "k": [], "d": []}

        def flush() -> None:
            tables = (("m", Message), ("c", MessageCopy), ("a", Applicant), ("am", ApplicantMessage),
                      ("k", ApplicantKey), ("d", Draft))
            for key, table in tables:
                if batch[key]:
                    conn.execute(insert(table), batch[key])
                    batch[key] = []

        for i, name, email, phone, embassy in people(applicants):
            when = now + timedelta(seconds=i)
            digest = hashlib.sha256(str(i).encode()).hexdigest()
            batch["m"].append({"id": i, "dedupe_key": f"{i:064d}", "sha256": digest, "size": 1000,
                               "is_oversized": False, "status": "done",
                               "attempts": 0, "created_at": when, "updated_at": when, "subject": "Volunteer",
                               "author_email": email, "author_name": name, "is_forward": False,
                               "category": "application", "language": LANGUAGES[i % len(LANGUAGES)],
                               "embassy_code": embassy, "message_id_header": f"<m{i}@mail.example>"})
            batch["c"].append({"id": i, "message_pk": i, "mailbox": f"mb_{embassy}", "folder": "INBOX",
                               "key": str(i), "uidvalidity": 1, "uid": i, "embassy_code": embassy,
                               "fetched_at": when, "is_flagged": False})
            fields = {"full_name": {"value": name, "confidence": 0.9}, "email": {"value": email},
                      "specialties": {"value": ["infantry"] if i % 3 else ["medic"]}}
            batch["a"].append({"id": i, "status": "active", "created_at": when, "updated_at": when,
                               "profile": {}, "fields": fields, "full_name": name, "email": email,
                               "phone": phone, "nationality": ("PL", "DE", "US")[i % 3],
                               "military_experience": bool(i % 4), "message_count": 1,
                               "last_message_at": when})
            batch["am"].append({"id": i, "applicant_id": i, "message_pk": i, "position": 0, "extracted": {},
                                "linked_at": when})
            batch["k"].extend({"applicant_id": i, "key": k} for k in {*name_keys(name), f"email:{email}"})
            if i <= drafts:
                batch["d"].append({"id": i, "message_pk": i, "applicant_id": i, "embassy_code": embassy,
                                   "kind": "application", "template": "application/en",
                                   "template_sha256": "0" * 64, "language": LANGUAGES[i % len(LANGUAGES)],
                                   "from_address": "emb@mfa.example",
                                   "to_address": email, "to_name": name, "subject": "Re: Volunteer",
                                   "body": "Thank you.", "outbound_message_id": f"<d{i}@mfa.example>",
                                   "state": "pending", "created_at": when, "updated_at": when, "attempts": 0})
            if i % CHUNK == 0:
                flush()
        flush()
    with app.sessions.begin() as session:
        add_user(session, "all", PASSWORD, "admin", [], "bench", now)
        add_user(session, "de_only", PASSWORD, "approver", ["de"], "bench", now)
    if app.engine.dialect.name == "postgresql":
        with app.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with app.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


def logged_in(web: Any, username: str) -> TestClient:
    client = TestClient(web, base_url="http://127.0.0.1")
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"username": username, "password": PASSWORD, "csrf_token": token}
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303
    return client


def measure(call: Callable[[], Any], count: int) -> tuple[float, float]:
    call()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def pages(drafts: int) -> list[tuple[str, str]]:
    return [
    ("draft queue", "/drafts"),
    ("draft queue, language filter", "/drafts?language=de"),
    ("draft queue, deep page", f"/drafts?after={drafts // 5}"),
    ("draft view", f"/drafts/{drafts // 2}"),
    ("applicants", "/applicants"),
    ("search name (other script)", "/applicants?q=Oleksandr+Kovalenko"),
    ("search email", "/applicants?q=person123456%40mail6.example"),
    ("search phone", "/applicants?q=%2B48600123456"),
    ("applicants, filters", "/applicants?nationality=PL&military=yes"),
    ("api drafts", "/api/drafts"),
    ("api applicant search", "/api/applicants?q=Tkachuk"),
    ]


@contextmanager
def database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    from tests.servers.postgres import create_database, drop_database, sqlalchemy_url

    name = create_database()
    try:
        yield sqlalchemy_url(name)
    finally:
        drop_database(name)


def run(backend: str, applicants: int, drafts: int, requests: int) -> None:
    with database(backend) as url:
        app = App.create(parse_settings({"database": {"url": url}, "embassies": EMBASSIES}))
        try:
            load = fill(app, applicants, drafts)
            print(f"{backend}: loaded {applicants} applicants, {drafts} pending drafts in {load:.0f} s")
            web = create_app(app)
            for user in ("all", "de_only"):
                client = logged_in(web, user)
                for label, path in pages(drafts):
                    p50, p95 = measure(lambda c=client, p=path: c.get(p), requests)
                    print(f"  {backend:<10} {user:<8} {label:<32} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
        finally:
            app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--applicants", type=int, default=300_000)
    parser.add_argument("--drafts", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    for backend in (["sqlite", "postgresql"] if args.backend == "both" else [args.backend]):
        run(backend, args.applicants, args.drafts, args.requests)


if __name__ == "__main__":
    main()
