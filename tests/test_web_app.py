"""The web application in process (no browser): accounts, login limits, headers, cookies, the JSON API
with roles, scoping and CSRF, and schemathesis over its OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from starlette.testclient import TestClient

from tests.apps import FrozenClock
from tests.web_site import PASSWORD, Site, applicant_ids, build
from triage.app import App
from triage.cli import main
from triage.settings import load_settings
from triage.store.models import Applicant, AuditEvent, CannotLink, MergeSuggestion
from triage.web import create_app
from triage.web.security import LoginLimiter

SECRET = "test-session-key"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build(tmp_path_factory.mktemp("webapp"))


@pytest.fixture(scope="module")
def web(site: Site) -> Iterator[FastAPI]:
    app = App.create(load_settings(site.config), clock=FrozenClock())
    try:
        yield create_app(app, secret_key=SECRET)
    finally:
        app.close()


def client_for(web: FastAPI, username: str | None) -> TestClient:
    client = TestClient(web, base_url="http://127.0.0.1")
    if username:
        token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        response = client.post("/login", data={"username": username, "password": PASSWORD,
                                               "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 303, response.text
    return client


def csrf(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.get("/api/me").json()["csrf_token"]}


def test_users_cli_add_list_disable_changes_the_accounts(site: Site, capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    password = site.root / "pw-cli"
    password.write_text("another-password\n", encoding="utf-8")
    config = ["--config", str(site.config)]
    assert main([*config, "users", "add", "carol", "--role", "viewer", "--password-file", str(password)]) == 0
    assert main([*config, "users", "add", "carol", "--role", "viewer", "--password-file", str(password)]) == 1
    assert main([*config, "users", "disable", "carol"]) == 0
    capsys.readouterr()
    assert main([*config, "users", "list"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("carol"))
    assert "viewer" in line and "disabled" in line


def test_login_page_responses_carry_csp_and_hardened_cookie(web: FastAPI) -> None:
    client = TestClient(web, base_url="http://127.0.0.1")
    response = client.get("/login")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_secure_cookies_option_marks_the_session_cookie_secure(site: Site) -> None:
    app = App.create(load_settings(site.config))
    try:
        client = TestClient(create_app(app, secure_cookies=True), base_url="https://127.0.0.1")
        assert "secure" in client.get("/login").headers["set-cookie"].lower()
    finally:
        app.close()


def test_login_after_repeated_failures_is_rate_limited(web: FastAPI) -> None:
    client = TestClient(web, base_url="http://127.0.0.1")
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    for _ in range(5):
        wrong = client.post("/login", data={"username": "vic", "password": "wrong", "csrf_token": token})
        assert wrong.status_code == 401
    right = client.post("/login", data={"username": "vic", "password": PASSWORD, "csrf_token": token},
                        follow_redirects=False)
    assert right.status_code == 429
    web.state.web.limiter = LoginLimiter(web.state.web.app.clock)


def test_limiter_after_window_allows_again() -> None:
    clock = FrozenClock()
    limiter = LoginLimiter(clock, attempts=2, window_seconds=60)
    limiter.failed("user:a")
    limiter.failed("user:a")
    assert limiter.blocked("user:a")
    clock.advance(61)
    assert not limiter.blocked("user:a")


def test_api_without_login_is_refused(web: FastAPI) -> None:
    client = TestClient(web, base_url="http://127.0.0.1")
    assert client.get("/api/drafts").status_code == 401
    assert client.get("/drafts", follow_redirects=False).headers["location"] == "/login"


def test_api_approve_with_csrf_header_approves(site: Site, web: FastAPI) -> None:
    client = client_for(web, "ann")
    draft_id = site.drafts["pl-en-question"]
    assert client.post(f"/api/drafts/{draft_id}/approve").status_code == 403  # no CSRF header
    response = client.post(f"/api/drafts/{draft_id}/approve", headers=csrf(client))
    assert response.status_code == 200 and response.json()["state"] == "approved"
    again = client.post(f"/api/drafts/{draft_id}/reject", json={"reason": "changed my mind"},
                        headers=csrf(client))
    assert again.json()["state"] == "rejected"


def test_api_a_pair_kept_apart_can_be_reopened_by_an_approver(site: Site, web: FastAPI) -> None:
    with site.session() as session:
        suggestion_id = session.scalars(select(MergeSuggestion.id)).one()
    ann, vic = client_for(web, "ann"), client_for(web, "vic")
    kept = ann.post(f"/api/suggestions/{suggestion_id}", json={"merge": False}, headers=csrf(ann))
    assert kept.json()["status"] == "rejected"
    assert ann.post(f"/api/suggestions/{suggestion_id}/reopen").status_code == 403  # no CSRF header
    assert vic.post(f"/api/suggestions/{suggestion_id}/reopen", headers=csrf(vic)).status_code == 403
    assert ann.post("/api/suggestions/999999/reopen", headers=csrf(ann)).status_code == 404
    reopened = ann.post(f"/api/suggestions/{suggestion_id}/reopen", headers=csrf(ann))
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    again = ann.post(f"/api/suggestions/{suggestion_id}/reopen", headers=csrf(ann))
    assert again.status_code == 409 and "not rejected" in again.json()["detail"]
    assert suggestion_id in {s["suggestion_id"] for s in ann.get("/api/suggestions").json()}
    with site.session() as session:
        assert session.scalar(select(func.count()).select_from(CannotLink)) == 0
        actions = list(session.scalars(select(AuditEvent.action)
                                       .where(AuditEvent.subject_type == "suggestion")
                                       .order_by(AuditEvent.id)))
    assert actions[-2:] == ["suggestion.reject", "suggestion.reopen"]


def test_merge_back_form_needs_an_approver_a_token_and_a_pair_kept_apart(site: Site, web: FastAPI) -> None:
    with site.session() as session:
        a, b = sorted(session.scalars(select(Applicant.id).where(Applicant.status == "active")).all())[:2]
    ann, vic = client_for(web, "ann"), client_for(web, "vic")

    def post(client: TestClient, token: str | None) -> int:
        data = {"other": str(b)} | ({"csrf_token": token} if token else {})
        return client.post(f"/applicants/{a}/merge-back", data=data, follow_redirects=False).status_code

    assert post(ann, None) == 403
    assert post(vic, csrf(vic)["X-CSRF-Token"]) == 403
    assert post(ann, csrf(ann)["X-CSRF-Token"]) == 409  # never kept apart: not a merge by the back door
    with site.session() as session:
        assert {x.status for x in session.scalars(select(Applicant).where(Applicant.id.in_([a, b])))} == {
            "active"
        }


def test_api_viewer_approve_is_forbidden(site: Site, web: FastAPI) -> None:
    client = client_for(web, "vic")
    response = client.post(f"/api/drafts/{site.drafts['pl-es-follow_up']}/approve", headers=csrf(client))
    assert response.status_code == 403


def test_api_scoped_user_sees_only_its_embassy(site: Site, web: FastAPI) -> None:
    client = client_for(web, "dee")
    assert {d["embassy"] for d in client.get("/api/drafts").json()} == {"de"}
    listed = {a["applicant_id"] for a in client.get("/api/applicants", params={"limit": 500}).json()}
    assert listed == applicant_ids(site, "de")
    hidden = applicant_ids(site, "pl") - applicant_ids(site, "de")
    assert all(client.get(f"/api/applicants/{i}").status_code == 404 for i in hidden)
    assert client.get(f"/api/drafts/{site.drafts['pl-en-follow_up']}").status_code == 404
    export = client.get("/applicants/export.csv").text
    assert {int(line.split(",")[0]) for line in export.splitlines()[1:]} == applicant_ids(site, "de")


def test_api_search_by_name_in_another_script_finds_the_applicant(web: FastAPI) -> None:
    client = client_for(web, "alice")
    found = client.get("/api/applicants", params={"q": "Bohdan Tkachuk"}).json()
    assert [a["full_name"] for a in found] == ["Богдан Ткачук"]


def test_web_app_module_paths_exist() -> None:
    from triage.web.context import STATIC, TEMPLATES

    assert Path(TEMPLATES, "login.html").is_file() and Path(STATIC, "keys.js").is_file()


def test_login_with_overlong_username_is_refused_not_crashed(web: FastAPI) -> None:
    client = TestClient(web, base_url="http://127.0.0.1")
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/login", data={"username": "x" * 5000, "password": "y", "csrf_token": token})
    assert response.status_code == 401


def test_logout_ends_the_session_and_is_audited(site: Site, web: FastAPI) -> None:
    from sqlalchemy import select

    from triage.store.models import AuditEvent

    client = client_for(web, "ann")
    token = csrf(client)["X-CSRF-Token"]
    assert client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert client.get("/api/me").status_code == 401
    with site.session() as session:
        assert session.scalars(select(AuditEvent).where(AuditEvent.action == "logout",
                                                        AuditEvent.actor == "ann")).first() is not None


def test_limiter_client_address_allows_more_failures_than_one_username() -> None:
    limiter = LoginLimiter(FrozenClock(), attempts=2, window_seconds=60)
    for name in ("a", "a", "b"):
        limiter.failed(f"user:{name}", "ip:127.0.0.1")
    assert limiter.blocked("user:a", "ip:127.0.0.1")
    assert not limiter.blocked("user:d", "ip:127.0.0.1")
    for _ in range(17):
        limiter.failed("user:x", "ip:127.0.0.1")
    assert limiter.blocked("user:d", "ip:127.0.0.1")


def test_web_cli_with_short_session_key_is_a_usage_error(site: Site) -> None:
    key = site.root / "short.key"
    key.write_text("too short\n", encoding="utf-8")
    assert main(["--config", str(site.config), "web", "--session-key-file", str(key)]) == 2
