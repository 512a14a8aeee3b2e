"""Applicants: search (name in any script, email, phone), filters, sorting, the applicant page, split,
and the CSV export of the current filter (always within the user's embassy scope)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Select, select, union
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse

from triage.applicants.actions import ActionError, merge, split
from triage.applicants.export import applicant_records, csv_text
from triage.applicants.matching import cannot_link
from triage.linking.keys import MAX_NAME_TOKENS
from triage.linking.names import normalise_name
from triage.store.models import (
    Applicant,
    ApplicantKey,
    ApplicantMessage,
    ApplicantStatus,
    AuditEvent,
    CannotLink,
    Draft,
    LinkDecision,
    MessageCopy,
    UserRole,
)
from triage.web.context import render, staff_of, state
from triage.web.scoping import applicant_clause, draft_clause, visible_applicant
from triage.web.security import Staff, WebError, check_csrf

router = APIRouter(include_in_schema=False)
PAGE = 50
MAX_PAGE = 10_000
SORTS = {"id": Applicant.id, "name": Applicant.full_name, "last_message": Applicant.last_message_at,
         "nationality": Applicant.nationality}


def name_keys(text: str) -> list[str]:
    """The blocking keys a name in any script falls under (the same keys linking indexes)."""
    phonetics = sorted({t.phonetic for t in normalise_name(text).tokens[:MAX_NAME_TOKENS]})
    return [f"nm:{x}+{y}" for x, y in combinations(phonetics, 2)]


def matches(q: str) -> list[Select[Any]]:
    """Indexed ways *q* can match, each a query of applicant ids: an email address, a phone number, the
    start of a name as written, or the name in any script or romanisation through the linking name
    keys. Never a table scan."""
    keyed = select(ApplicantKey.applicant_id)
    if "@" in q:
        return [select(Applicant.id).where(Applicant.email == q.lower()),
                keyed.where(ApplicantKey.key == f"email:{q.lower()}")]
    digits = "".join(ch for ch in q if ch.isdigit())
    if len(digits) >= 5 and not any(ch.isalpha() for ch in q):
        number = "+" + (digits[2:] if digits.startswith("00") else digits)
        return [select(Applicant.id).where(Applicant.phone == number),
                keyed.where(ApplicantKey.key == f"phone:{number}")]
    found = [select(Applicant.id).where(Applicant.full_name >= q, Applicant.full_name < q + "\uffff")]
    keys = name_keys(q)
    if keys:
        found.append(keyed.where(ApplicantKey.key.in_(keys)))
    else:
        phonetics = [t.phonetic for t in normalise_name(q).tokens]
        if phonetics:  # one word: the pairs it leads (an index range on the keys)
            found.append(keyed.where(ApplicantKey.key >= f"nm:{phonetics[0]}+",
                                     ApplicantKey.key < f"nm:{phonetics[0]},"))
    return found


def search_query(staff: Staff, q: str = "", nationality: str = "", specialty: str = "",
                 military: str = "", embassy: str = "", status: str = "active") -> Select[Any]:
    """Applicants the user may see, matching the search text and the filters."""
    query = select(Applicant).where(applicant_clause(staff))
    query = query.where(Applicant.status == (status if status in set(ApplicantStatus) else "active"))
    q = q.strip()
    if q:
        query = query.where(Applicant.id.in_(union(*matches(q))))
    if nationality:
        query = query.where(Applicant.nationality == nationality.upper())
    if military in ("yes", "no"):
        query = query.where(Applicant.military_experience.is_(military == "yes"))
    if embassy:
        query = query.where(Applicant.id.in_(
            select(ApplicantMessage.applicant_id)
            .join(MessageCopy, MessageCopy.message_pk == ApplicantMessage.message_pk)
            .where(MessageCopy.embassy_code == embassy)))
    return query


def _filters(request: Request) -> dict[str, str]:
    keys = ("q", "nationality", "specialty", "military", "embassy", "status")
    return {k: request.query_params.get(k, "") for k in keys}


def _specialty(applicant: Applicant, specialty: str) -> bool:
    return not specialty or specialty in ((applicant.fields.get("specialties") or {}).get("value") or [])


@router.get("/applicants")
def applicants(request: Request, sort: str = "id", desc: bool = False, page: int = 0) -> Response:
    filters = _filters(request)
    page = min(max(page, 0), MAX_PAGE)
    web = state(request)
    with web.app.sessions() as session:
        staff = staff_of(request, session)
        column = SORTS.get(sort, Applicant.id)
        query = search_query(staff, **{k: v for k, v in filters.items() if k != "status"},
                             status=filters["status"] or "active")
        query = query.order_by(column.desc() if desc else column, Applicant.id)
        rows = [a for a in session.scalars(query.offset(page * PAGE).limit(PAGE + 1))
                if _specialty(a, filters["specialty"])]
        return render(request, "applicants.html", staff=staff, applicants=rows[:PAGE],
                      more=len(rows) > PAGE, page=page, sort=sort, desc=desc, filters=filters,
                      sorts=list(SORTS), query_string=request.url.query)


@router.get("/applicants/export.csv")
def export(request: Request) -> Response:
    filters = _filters(request)
    web = state(request)
    session = web.app.sessions()
    try:
        staff = staff_of(request, session)
        ids = set(session.scalars(search_query(staff, **{k: v for k, v in filters.items() if k != "status"})
                                  .with_only_columns(Applicant.id)))
        scope = staff.embassies
    except Exception:
        session.close()
        raise

    def rows() -> Iterator[str]:
        try:
            records = (r for r in applicant_records(session, scope) if r["applicant_id"] in ids
                       and (not filters["specialty"] or filters["specialty"] in (r.get("specialties") or [])))
            yield from csv_text(records)
        finally:
            session.close()

    return StreamingResponse(rows(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="applicants.csv"'})


def applicant_page(session: Session, staff: Staff, applicant_id: int) -> dict[str, Any]:
    applicant = visible_applicant(session, staff, applicant_id)
    links = list(session.scalars(select(ApplicantMessage).where(ApplicantMessage.applicant_id == applicant.id)
                                 .order_by(ApplicantMessage.id)))
    drafts = list(session.scalars(select(Draft).where(Draft.applicant_id == applicant.id, draft_clause(staff))
                                  .order_by(Draft.id)))
    history = list(session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "applicant", AuditEvent.subject_id == str(applicant.id))
        .order_by(AuditEvent.id)))
    decisions = list(session.scalars(select(LinkDecision).where(LinkDecision.applicant_id == applicant.id)
                                     .order_by(LinkDecision.id)))
    return {"applicant": applicant, "links": links, "drafts": drafts, "history": history,
            "decisions": decisions, "kept_apart": kept_apart(session, staff, applicant.id)}


def kept_apart(session: Session, staff: Staff, applicant_id: int) -> list[tuple[CannotLink, Applicant]]:
    """The active applicants staff marked as another person than *applicant_id* (split, unmerge, a
    rejected suggestion), that *staff* may see; each with its mark."""
    marks = list(session.scalars(select(CannotLink).where(
        (CannotLink.applicant_a_id == applicant_id) | (CannotLink.applicant_b_id == applicant_id))
        .order_by(CannotLink.id)))
    others = {m.applicant_b_id if m.applicant_a_id == applicant_id else m.applicant_a_id: m for m in marks}
    shown = session.scalars(select(Applicant).where(Applicant.id.in_(list(others)),
                                                    Applicant.status == ApplicantStatus.active,
                                                    applicant_clause(staff)).order_by(Applicant.id))
    return [(others[a.id], a) for a in shown]


@router.get("/applicants/{applicant_id}")
def applicant(request: Request, applicant_id: int) -> Response:
    web = state(request)
    with web.app.sessions() as session:
        staff = staff_of(request, session)
        return render(request, "applicant.html", staff=staff, can_decide=staff.can(UserRole.approver),
                      **applicant_page(session, staff, applicant_id))


@router.post("/applicants/{applicant_id}/merge-back")
async def merge_back(request: Request, applicant_id: int) -> Response:
    """Take a keep-apart decision back: the two are one person after all (the older one stays)."""
    form = await request.form()
    token, other = form.get("csrf_token"), form.get("other")
    check_csrf(request, token if isinstance(token, str) else None)
    if not isinstance(other, str) or not other.isdigit():
        raise WebError(400, "which applicant?")
    web = state(request)
    with web.app.sessions.begin() as session:
        staff = staff_of(request, session)
        staff.require(UserRole.approver)
        for shown in (applicant_id, int(other)):
            visible_applicant(session, staff, shown)
        survivor, absorbed = sorted((applicant_id, int(other)))
        if not cannot_link(session, survivor, absorbed):
            raise WebError(409, f"applicant #{applicant_id} and #{other} are not kept apart")
        try:
            merge(session, survivor, absorbed, staff.username, web.app.clock.now(), override=True)
        except ActionError as exc:
            raise WebError(409, str(exc)) from None
    return RedirectResponse(f"/applicants/{survivor}", status_code=303)


@router.post("/applicants/{applicant_id}/split")
async def split_applicant(request: Request, applicant_id: int) -> Response:
    form = await request.form()
    token = form.get("csrf_token")
    check_csrf(request, token if isinstance(token, str) else None)
    message_pks = [int(v) for v in form.getlist("message") if isinstance(v, str) and v.isdigit()]
    web = state(request)
    with web.app.sessions.begin() as session:
        staff = staff_of(request, session)
        staff.require(UserRole.approver)
        visible_applicant(session, staff, applicant_id)
        try:
            target = split(session, applicant_id, message_pks, staff.username, web.app.clock.now())
        except ActionError as exc:
            raise WebError(409, str(exc)) from None
        new_id = target.id
    return RedirectResponse(f"/applicants/{new_id}", status_code=303)

