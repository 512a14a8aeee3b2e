"""Duplicate review: open merge suggestions, each pair side by side; merge or keep apart, and reopen a
pair kept apart by mistake (a merge is undone from the command line: `triage applicants unmerge`)."""

from __future__ import annotations

from fastapi import APIRouter, Form
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from triage.applicants.actions import ActionError, decide_suggestion, reopen_suggestion
from triage.store.models import Applicant, MergeSuggestion, SuggestionStatus, UserRole
from triage.web.context import render, staff_of, state
from triage.web.scoping import applicant_clause, check_id, visible_suggestion
from triage.web.security import WebError, check_csrf

router = APIRouter(include_in_schema=False)
PAGE = 50
DECIDED = 20  # the decided suggestions listed under the open ones, latest first


@router.get("/suggestions")
def suggestions(request: Request) -> Response:
    web = state(request)
    with web.app.sessions() as session:
        staff = staff_of(request, session)
        open_ = list(session.scalars(select(MergeSuggestion)
                                     .where(MergeSuggestion.status == SuggestionStatus.open)
                                     .order_by(MergeSuggestion.id).limit(PAGE * 4)))
        decided = list(session.scalars(select(MergeSuggestion)
                                       .where(MergeSuggestion.status != SuggestionStatus.open)
                                       .order_by(MergeSuggestion.decided_at.desc(), MergeSuggestion.id.desc())
                                       .limit(DECIDED * 4)))
        ids = {i for s in (*open_, *decided) for i in (s.applicant_a_id, s.applicant_b_id)}
        visible = set(session.scalars(select(Applicant.id)
                                      .where(Applicant.id.in_(ids), applicant_clause(staff))))

        def seen(s: MergeSuggestion) -> bool:
            return s.applicant_a_id in visible and s.applicant_b_id in visible

        return render(request, "suggestions.html", staff=staff,
                      suggestions=[s for s in open_ if seen(s)][:PAGE],
                      decided=[s for s in decided if seen(s)][:DECIDED])


@router.get("/suggestions/{suggestion_id}")
def suggestion(request: Request, suggestion_id: int) -> Response:
    web = state(request)
    with web.app.sessions() as session:
        staff = staff_of(request, session)
        check_id(suggestion_id)
        item = session.get(MergeSuggestion, suggestion_id)
        pair = [session.scalars(select(Applicant).where(Applicant.id == i, applicant_clause(staff))).first()
                for i in ((item.applicant_a_id, item.applicant_b_id) if item else ())]
        if item is None or not all(pair):
            raise WebError(404, f"no suggestion #{suggestion_id}")
        return render(request, "suggestion.html", staff=staff, suggestion=item, pair=pair,
                      can_decide=staff.can(UserRole.approver))


@router.post("/suggestions/{suggestion_id}")
def decide(request: Request, suggestion_id: int, action: str = Form(""), csrf_token: str = Form("")
           ) -> Response:
    check_csrf(request, csrf_token)
    if action not in ("merge", "keep_apart", "reopen"):
        raise WebError(400, "unknown action")
    web = state(request)
    with web.app.sessions.begin() as session:
        staff = staff_of(request, session)
        staff.require(UserRole.approver)
        visible_suggestion(session, staff, suggestion_id)
        try:
            if action == "reopen":
                reopen_suggestion(session, suggestion_id, staff.username, web.app.clock.now())
            else:
                decide_suggestion(session, suggestion_id, action == "merge", staff.username,
                                  web.app.clock.now())
        except ActionError as exc:
            raise WebError(409, str(exc)) from None
    # a reopened pair is decided again on its own page
    return RedirectResponse(f"/suggestions/{suggestion_id}" if action == "reopen" else "/suggestions",
                            status_code=303)
