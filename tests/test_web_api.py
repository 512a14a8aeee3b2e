"""The JSON API against its own OpenAPI document with schemathesis, logged in as an admin: no 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.apps import FrozenClock
from tests.test_web_app import SECRET, client_for, csrf
from tests.web_site import build
from triage.app import App
from triage.settings import load_settings
from triage.web import create_app


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    site = build(tmp_path_factory.mktemp("webapi"))
    app = App.create(load_settings(site.config), clock=FrozenClock())
    try:
        yield create_app(app, secret_key=SECRET)
    finally:
        app.close()


@pytest.fixture(scope="module")
def api_schema(web: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/api/openapi.json", web)


@pytest.fixture(scope="module")
def admin(web: FastAPI) -> tuple[dict[str, str], dict[str, str]]:
    client = client_for(web, "alice")
    return dict(client.cookies), csrf(client)


def test_api_any_valid_or_invalid_request_has_no_server_error(
    api_schema: Any, admin: tuple[dict[str, str], dict[str, str]]
) -> None:
    cookies, headers = admin
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    statuses: set[int] = set()
    for operation in operations:

        @given(operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            response = case.call_and_validate(headers=headers, cookies=cookies, checks=[not_a_server_error])
            statuses.add(response.status_code)

        check()
    assert 200 in statuses  # the session and CSRF header were accepted, not only refused
