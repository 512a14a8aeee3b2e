"""The Prometheus endpoint, scraped over loopback HTTP: counters, stage histograms, database gauges."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, select
from sqlalchemy.orm import sessionmaker

from tests.apps import FrozenClock, config, make_app
from tests.test_fetch import mail, maildir
from triage.app import App
from triage.metrics import DatabaseCollector, Metrics, MetricsServer, parse_listen, start_metrics_server
from triage.store.models import Draft, Message

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    box = maildir(tmp_path / "warsaw", {f"m{i}": mail(f"<m{i}@mail.example>", "emb_pl@mfa.example",
                                                        body=f"Hello {i}\r\n") for i in range(2)})
    data = config(f"sqlite:///{tmp_path}/t.db", mailboxes=[
        {"name": "warsaw", "embassy": "pl", "url": f"maildir:{box}"},
        {"name": "berlin", "embassy": "de", "url": f"maildir:{tmp_path / 'never-polled'}"},
    ])
    with make_app(data, clock=FrozenClock()) as app:
        yield app


@contextmanager
def serve(registry: CollectorRegistry) -> Iterator[MetricsServer]:
    server = start_metrics_server("127.0.0.1", 0, registry)
    try:
        yield server
    finally:
        server.close()


def scrape(server: MetricsServer) -> Samples:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=10) as response:
        assert response.status == 200
        body = response.read().decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(body) for s in family.samples}


def test_metrics_endpoint_serves_counters_and_stage_histograms() -> None:
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    metrics.fetched("warsaw", 3)
    metrics.fetched("warsaw", 2)
    metrics.fetched("berlin", 0)  # nothing new: no sample is created
    metrics.stage_seconds("parse", 0.003)
    metrics.stage_seconds("parse", 0.2)
    metrics.failed("extract")
    with serve(registry) as server:
        samples = scrape(server)
    assert samples[("triage_messages_fetched_total", (("mailbox", "warsaw"),))] == 5
    assert ("triage_messages_fetched_total", (("mailbox", "berlin"),)) not in samples
    assert samples[("triage_stage_duration_seconds_count", (("stage", "parse"),))] == 2
    assert samples[("triage_stage_duration_seconds_bucket", (("le", "0.005"), ("stage", "parse")))] == 1
    assert samples[("triage_stage_duration_seconds_sum", (("stage", "parse"),))] == pytest.approx(0.203)
    assert samples[("triage_stage_failures_total", (("stage", "extract"),))] == 1


def test_metrics_collector_reads_queues_and_poll_ages_on_scrape(app: App) -> None:
    clock = app.clock
    assert isinstance(clock, FrozenClock)
    app.poll(app.settings.mailbox("warsaw"))
    clock.advance(90)
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(app.sessions, ["warsaw", "berlin"], clock))
    with serve(registry) as server:
        samples = scrape(server)
        assert samples[("triage_queue_messages", (("status", "stored"),))] == 2
        assert samples[("triage_queue_messages", (("status", "failed"),))] == 0
        assert samples[("triage_database_up", ())] == 1
        assert samples[("triage_mailbox_up", (("mailbox", "warsaw"),))] == 1
        assert samples[("triage_mailbox_up", (("mailbox", "berlin"),))] == 0
        assert samples[("triage_mailbox_seconds_since_success", (("mailbox", "warsaw"),))] == 90
        assert ("triage_mailbox_seconds_since_success", (("mailbox", "berlin"),)) not in samples
        assert samples[("triage_drafts", (("state", "pending"),))] == 0
        assert samples[("triage_drafts", (("state", "sent"),))] == 0
        app.pipeline(workers=0).drain()
        after = scrape(server)  # read again on every scrape
    assert after[("triage_queue_messages", (("status", "stored"),))] == 0
    assert sum(v for (name, _), v in after.items() if name == "triage_queue_messages") == 2


def test_metrics_collector_counts_drafts_by_state(app: App) -> None:
    app.poll(app.settings.mailbox("warsaw"))
    now = app.clock.now()
    with app.sessions.begin() as session:
        message_pk = session.scalars(select(Message.id)).first()
        for index, state in enumerate(["pending", "pending", "approved"]):
            session.add(Draft(message_pk=message_pk, kind="application", template="application/en",
                              template_sha256="0" * 64, language="en", from_address="emb_pl@mfa.example",
                              to_address="volunteer@mail.example", to_name="", subject="Re: Volunteer",
                              body="Thank you.", outbound_message_id=f"<d{index}@mfa.example>", state=state,
                              created_at=now, updated_at=now))
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(app.sessions, [], app.clock))
    with serve(registry) as server:
        samples = scrape(server)
    assert samples[("triage_drafts", (("state", "pending"),))] == 2
    assert samples[("triage_drafts", (("state", "approved"),))] == 1
    assert samples[("triage_drafts", (("state", "sent"),))] == 0


def test_metrics_collector_with_unreachable_database_reports_it_down(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/missing/dir/t.db")
    try:
        registry = CollectorRegistry()
        registry.register(DatabaseCollector(sessionmaker(engine), ["warsaw"], FrozenClock()))
        with serve(registry) as server:
            samples = scrape(server)
    finally:
        engine.dispose()
    assert samples[("triage_database_up", ())] == 0
    assert not any(name == "triage_queue_messages" for name, _ in samples)


@pytest.mark.parametrize(("value", "expected"), [
    ("127.0.0.1:9464", ("127.0.0.1", 9464)), ("[::1]:9464", ("::1", 9464)), ("", None), ("  ", None)])
def test_parse_listen_with_valid_setting_returns_host_and_port(
        value: str, expected: tuple[str, int] | None) -> None:
    assert parse_listen(value) == expected


@pytest.mark.parametrize("value", ["9464", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:99999", ":9464", "h:x"])
def test_parse_listen_with_bad_setting_raises(value: str) -> None:
    with pytest.raises(ValueError):
        parse_listen(value)


def test_daemon_serves_fetch_and_stage_metrics_over_http(tmp_path: Path) -> None:
    import shutil
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.apps import REPO, config, write_toml
    from tests.servers.ports import free_port

    mail = tmp_path / "mail"
    mail.mkdir()
    for path in sorted((REPO / "demo" / "mail").glob("*.eml"))[:4]:
        shutil.copy(path, mail / path.name)
    port = free_port()
    path = write_toml(tmp_path / "c.toml", config(
        f"sqlite:///{tmp_path}/t.db", metrics={"listen": f"127.0.0.1:{port}"},
        mailboxes=[{"name": "local", "url": f"maildir:{mail}"}]))
    child = subprocess.Popen([sys.executable, "-m", "triage", "--config", str(path), "run"], cwd=REPO,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    text = ""
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and 'stage="draft"' not in text:
            assert child.poll() is None, child.communicate()[1]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
                    text = response.read().decode()
            except OSError:
                pass
            time.sleep(0.2)
    finally:
        child.send_signal(signal.SIGTERM)
        child.communicate(timeout=30)
    assert 'triage_messages_fetched_total{mailbox="local"} 4.0' in text
    assert 'triage_stage_duration_seconds_count{stage="parse"} 4.0' in text
    assert 'triage_stage_duration_seconds_count{stage="draft"}' in text
