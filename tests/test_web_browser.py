"""The staff web UI in a real headless Chromium against `triage web` serving a pipeline-built database."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.browser import chromium, login, screenshot, watch
from tests.web_site import PASSWORD, Site, applicant_ids, build, serve
from triage.store.models import Applicant, Draft, MergeSuggestion, Message, SuggestionStatus


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    built = build(tmp_path_factory.mktemp("web"))
    with serve(built):
        yield built


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as context:
        yield context


def draft(site: Site, draft_id: int) -> Draft:
    with site.session() as session:
        found = session.get(Draft, draft_id)
        assert found is not None
        session.expunge(found)
        return found


def open_as(browser: Any, site: Site, username: str) -> Any:
    page = browser.new_page()
    login(page, site.url, username, PASSWORD)
    return page


def test_web_login_with_right_password_shows_the_draft_queue(site: Site, browser: Any) -> None:
    seen = watch(browser, site.url)
    page = browser.new_page()
    page.goto(site.url + "/login")
    screenshot(page, "login")
    login(page, site.url, "alice", PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Drafts: pending")
    assert page.locator("[data-row]").count() >= 7
    screenshot(page, "drafts")
    assert not seen.foreign and not seen.dialogs


def test_web_login_with_wrong_password_is_refused(site: Site, browser: Any) -> None:
    page = browser.new_page()
    page.goto(site.url + "/login")
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    assert "Wrong username or password" in page.locator("[role=alert]").inner_text()
    page.goto(site.url + "/drafts")
    assert page.url == site.url + "/login"


def test_web_approve_draft_marks_it_approved_by_the_user(site: Site, browser: Any) -> None:
    draft_id = site.drafts["pl-en-follow_up"]
    page = open_as(browser, site, "ann")
    page.goto(f"{site.url}/drafts/{draft_id}")
    screenshot(page, "draft")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve").click()
    approved = draft(site, draft_id)
    assert (approved.state, approved.decided_by) == ("approved", "ann")


def test_web_edit_then_approve_saves_the_new_body(site: Site, browser: Any) -> None:
    draft_id = site.drafts["pl-uk-follow_up"]
    page = open_as(browser, site, "ann")
    page.goto(f"{site.url}/drafts/{draft_id}")
    page.get_by_label("Body").fill("Дякуємо! Edited by staff.\nSecond line.")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve").click()
    approved = draft(site, draft_id)
    assert approved.state == "approved"
    assert approved.body == "Дякуємо! Edited by staff.\nSecond line."


def test_web_reject_with_reason_records_the_reason(site: Site, browser: Any) -> None:
    draft_id = site.drafts["pl-pl-follow_up"]
    page = open_as(browser, site, "ann")
    page.goto(f"{site.url}/drafts/{draft_id}")
    page.keyboard.press("r")  # the shortcut moves to the reason field
    page.keyboard.type("Already answered by phone")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    rejected = draft(site, draft_id)
    assert (rejected.state, rejected.reject_reason) == ("rejected", "Already answered by phone")


def test_web_viewer_cannot_approve(site: Site, browser: Any) -> None:
    draft_id = site.drafts["pl-es-follow_up"]
    page = open_as(browser, site, "vic")
    page.goto(f"{site.url}/drafts/{draft_id}")
    assert page.get_by_role("button", name="Approve").count() == 0
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(f"{site.url}/drafts/{draft_id}",
                                 form={"action": "approve", "csrf_token": token})
    assert response.status == 403
    assert draft(site, draft_id).state == "pending"


def test_web_post_without_csrf_token_is_refused(site: Site, browser: Any) -> None:
    draft_id = site.drafts["pl-ja-follow_up"]
    page = open_as(browser, site, "ann")
    page.goto(f"{site.url}/drafts/{draft_id}")
    page.locator("#decide input[name=csrf_token]").evaluate("node => node.remove()")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve").click()
    assert "CSRF" in page.locator("[role=alert]").inner_text()
    assert draft(site, draft_id).state == "pending"


def test_web_hostile_html_shows_as_text_and_runs_and_loads_nothing(site: Site, browser: Any) -> None:
    seen = watch(browser, site.url)
    page = open_as(browser, site, "ann")
    page.goto(f"{site.url}/drafts/{site.drafts['hostile']}")
    page.wait_for_load_state("networkidle")
    screenshot(page, "draft_hostile")
    text = page.locator("#mail-text").inner_text()
    assert "<script>alert(2)</script>" in text
    assert "Mallory Vance" in text
    assert page.locator("main img, main iframe, main script, main style, main link").count() == 0
    assert "<img src=x onerror=alert(3)>" in page.locator("main dl").inner_text()
    assert seen.dialogs == []
    assert seen.foreign == []
    assert all(u.startswith(site.url) for u in seen.requests)


def test_web_draft_view_highlights_evidence_with_confidence(site: Site, browser: Any) -> None:
    page = open_as(browser, site, "ann")
    page.goto(f"{site.url}/drafts/{site.drafts['hostile']}")
    marks = page.locator("#mail-text mark.ev")
    assert marks.count() >= 1
    fields = {marks.nth(i).get_attribute("data-field") for i in range(marks.count())}
    assert "full_name" in fields
    assert "confidence" in (marks.first.get_attribute("title") or "")


def test_web_merge_suggestion_merges_the_pair(site: Site, browser: Any) -> None:
    with site.session() as session:
        suggestion = session.scalars(select(MergeSuggestion)).one()
        pair = (suggestion.applicant_a_id, suggestion.applicant_b_id)
    page = open_as(browser, site, "ann")
    page.goto(f"{site.url}/suggestions")
    screenshot(page, "suggestions")
    page.get_by_role("link", name=str(suggestion.id), exact=True).click()
    screenshot(page, "suggestion")
    with page.expect_navigation():
        page.get_by_role("button", name="Merge: same person").click()
    with site.session() as session:
        absorbed = session.get(Applicant, pair[1])
        assert absorbed is not None
        assert (absorbed.status, absorbed.merged_into_id) == ("merged", pair[0])


def test_web_a_pair_kept_apart_is_reopened_from_the_decided_list(site: Site, browser: Any) -> None:
    with site.session() as session, session.begin():  # a pair of its own: the test above merges the other
        a, b = sorted(session.scalars(select(Applicant.id).where(Applicant.message_count == 1,
                                                                 Applicant.status == "active")).all())[-2:]
        suggestion = MergeSuggestion(applicant_a_id=a, applicant_b_id=b, score=0.6, reasons=["name"],
                                     status=SuggestionStatus.open, created_at=datetime.now(UTC))
        session.add(suggestion)
        session.flush()
        suggestion_id = suggestion.id
    page = open_as(browser, site, "ann")
    page.goto(f"{site.url}/suggestions/{suggestion_id}")
    with page.expect_navigation():
        page.get_by_role("button", name="Keep apart: different people").click()
    decided = page.get_by_role("table").nth(1)
    row = decided.get_by_role("row").filter(has=page.get_by_role("link", name=str(suggestion_id), exact=True))
    assert "kept apart" in row.inner_text() and "ann" in row.inner_text()
    row.get_by_role("link", name=str(suggestion_id), exact=True).click()
    screenshot(page, "suggestion-kept-apart")
    with page.expect_navigation():
        page.get_by_role("button", name="Reopen: decide again").click()
    assert page.get_by_role("button", name="Merge: same person").is_visible()
    with site.session() as session:
        assert session.get(MergeSuggestion, suggestion_id).status == "open"  # type: ignore[union-attr]


def test_web_split_applicant_moves_the_ticked_message(site: Site, browser: Any) -> None:
    with site.session() as session:
        applicant = session.scalars(select(Applicant).where(Applicant.message_count >= 2,
                                                            Applicant.status == "active")).first()
        assert applicant is not None
        last = applicant.messages[-1].message_pk
        applicant_id = applicant.id
    page = open_as(browser, site, "alice")
    page.goto(f"{site.url}/applicants/{applicant_id}")
    screenshot(page, "applicant")
    page.locator(f"#split-{last}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Split the ticked messages into a new applicant").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Applicant ")
    with site.session() as session:
        moved = session.scalars(select(Applicant).where(Applicant.id > applicant_id)
                                .order_by(Applicant.id.desc())).first()
        assert moved is not None and [m.message_pk for m in moved.messages] == [last]
        moved_id = moved.id
    # the split taken back from the new applicant's page: the message goes home
    assert page.get_by_role("heading", name="Kept apart").is_visible()
    with page.expect_navigation():
        page.locator(f"#merge-back-{applicant_id}").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith(f"Applicant {applicant_id}:")
    with site.session() as session:
        back = session.get(Applicant, applicant_id)
        assert back is not None and last in [m.message_pk for m in back.messages]
        assert session.get(Applicant, moved_id).status == "merged"  # type: ignore[union-attr]


def test_web_requeue_failed_message_puts_it_back(site: Site, browser: Any) -> None:
    page = open_as(browser, site, "ann")
    page.goto(f"{site.url}/failed")
    screenshot(page, "failed")
    with site.session() as session:
        failed_id = session.scalars(select(Message.id).where(Message.status == "failed")).one()
    page.locator(f"#requeue-{failed_id}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Requeue the ticked messages").click()
    with site.session() as session:
        message = session.get(Message, failed_id)
        assert message is not None and message.status == "classified"


def _export(page: Any, site: Site, query: str = "") -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.goto(f"{site.url}/applicants{query}")
        page.get_by_role("link", name="Export these as CSV").click()
    path = info.value.path()
    return list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))


def test_web_export_csv_lists_the_filtered_applicants(site: Site, browser: Any) -> None:
    page = open_as(browser, site, "alice")
    page.goto(f"{site.url}/applicants")
    screenshot(page, "applicants")
    rows = _export(page, site)
    assert {int(r["applicant_id"]) for r in rows} >= applicant_ids(site, "pl") | applicant_ids(site, "de")
    only_de = _export(page, site, "?embassy=de")
    assert {int(r["applicant_id"]) for r in only_de} == applicant_ids(site, "de")


def test_web_user_scoped_to_one_embassy_cannot_see_another_embassys_applicants(
    site: Site, browser: Any
) -> None:
    hidden = applicant_ids(site, "pl") - applicant_ids(site, "de")
    assert hidden
    page = open_as(browser, site, "dee")
    assert page.locator("[data-row]").count() == 1  # the one German draft
    page.goto(f"{site.url}/applicants")
    listed = {int(t) for t in page.locator("[data-row] [data-open]").all_inner_texts()}
    assert listed == applicant_ids(site, "de")
    for applicant_id in hidden:
        response = page.goto(f"{site.url}/applicants/{applicant_id}")
        assert response is not None and response.status == 404
    response = page.goto(f"{site.url}/drafts/{site.drafts['pl-en-question']}")
    assert response is not None and response.status == 404
    exported = {int(r["applicant_id"]) for r in _export(page, site, "?embassy=pl")}
    # an applicant who wrote to both embassies is visible to both; the others stay hidden
    assert exported == applicant_ids(site, "pl") & applicant_ids(site, "de")
    assert not exported & hidden
    assert {int(r["applicant_id"]) for r in _export(page, site)} == applicant_ids(site, "de")


def test_web_admin_pages_show_the_audit_log_and_users(site: Site, browser: Any) -> None:
    page = open_as(browser, site, "alice")
    page.goto(f"{site.url}/admin/audit")
    assert "login.success" in page.locator("main").inner_text()
    screenshot(page, "audit")
    page.goto(f"{site.url}/admin/users")
    assert page.get_by_role("cell", name="dee", exact=True).count() == 1
    screenshot(page, "users")
    vic = open_as(browser, site, "vic")
    response = vic.goto(f"{site.url}/admin/users")
    assert response is not None and response.status == 403


def test_web_keyboard_shortcuts_open_next_and_approve(site: Site, browser: Any) -> None:
    page = open_as(browser, site, "ann")
    page.keyboard.press("j")
    first = page.locator("[data-row] [data-open]").first
    assert first.evaluate("node => node === document.activeElement")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(site.url + "/drafts/")
    draft_id = site.drafts["pl-en-question"]
    page.goto(f"{site.url}/drafts/{draft_id}")
    with page.expect_navigation():
        page.keyboard.press("a")
    assert draft(site, draft_id).state == "approved"


def test_web_without_javascript_reject_still_works(site: Site) -> None:
    draft_id = site.drafts["de-de-application"]
    with chromium(javascript=False) as context:
        page = open_as(context, site, "alice")
        page.goto(f"{site.url}/drafts/{draft_id}")
        page.get_by_label("Reason for rejecting").fill("Duplicate of a phone call")
        with page.expect_navigation():
            page.get_by_role("button", name="Reject").click()
    assert draft(site, draft_id).state == "rejected"
