"""Study sessions: logged, changed and deleted, each checked against its pursuit. Study that
counts twice hands a draft claim to ``pdus``, which sits below this package."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal

from pmolearn.audit.services import record
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.pdus import services as pdus
from pmolearn.people.models import Person
from pmolearn.study import background, fields
from pmolearn.study.models import Pursuit, StudySession

# --- study sessions --------------------------------------------------------------------------

SESSION_FIELDS = {"studied_on", "minutes", "domain", "kind", "score", "notes", "as_pdu_for"}


def clean_session(pursuit: Pursuit, raw: dict, *, today: date, current=None) -> dict:
    """Validate a whole session; every bad field at once."""
    errors: dict[str, list[str]] = {}
    for name in sorted(set(raw) - SESSION_FIELDS):
        errors[name] = ["Unknown field."]
    merged = (
        {}
        if current is None
        else {
            "studied_on": current.studied_on,
            "minutes": current.minutes,
            "domain": current.domain,
            "kind": current.kind,
            "score": current.score,
            "notes": current.notes,
        }
    )
    merged.update(raw)
    clean = {
        "studied_on": background.check_date(
            merged.get("studied_on"), fields.STUDIED_ON, errors, today=today
        ),
        "notes": fields.NOTES.clean(merged.get("notes"), errors),
    }
    minutes = merged.get("minutes")
    if isinstance(minutes, str) and minutes.strip().isdigit():
        minutes = int(minutes)
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        errors["minutes"] = ["Give the minutes studied, a whole number."]
    elif not 1 <= minutes <= fields.MAX_MINUTES:
        errors["minutes"] = [f"From 1 to {fields.MAX_MINUTES} minutes (a day at most)."]
    clean["minutes"] = minutes
    domains = [d.name for d in pursuit.domains]
    domain = merged.get("domain")
    if not isinstance(domain, str) or domain not in domains:
        errors["domain"] = ["One of the plan's domains: " + "; ".join(domains) + "."]
    clean["domain"] = domain
    kind = merged.get("kind")
    if not isinstance(kind, str) or kind not in fields.SESSION_KINDS:
        errors["kind"] = ["One of: " + ", ".join(fields.SESSION_KINDS) + "."]
    clean["kind"] = kind
    clean["score"] = _score(merged.get("score"), kind, errors)
    if errors:
        raise ValidationFailed(errors)
    return clean


def _score(value, kind, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        errors["score"] = ["A whole percentage from 0 to 100."]
        return None
    if kind != "practice_exam":
        errors["score"] = ["Only a practice exam has a score."]
        return None
    return value


def log_session(pursuit: Pursuit, raw: dict, *, actor: Person, today: date) -> StudySession:
    """Log a session; with ``as_pdu_for`` it also becomes a draft PDU claim for those active
    PMI credentials of the person ("study that counts twice")."""
    credential_ids = raw.get("as_pdu_for")
    clean = clean_session(pursuit, raw, today=today)
    session = StudySession(pursuit_id=pursuit.id, **clean)
    if credential_ids:
        session.pdu_activity_id = _as_pdus(pursuit, session, credential_ids, actor, today).id
    db.session.add(session)
    if pursuit.stage == "planning":
        pursuit.stage = "studying"  # the first session starts the studying
    db.session.flush()
    record(
        "create",
        "study_session",
        session.id,
        actor_id=actor.id,
        person_id=pursuit.person_id,
        after={"minutes": session.minutes, "domain": session.domain},
    )
    return session


def _as_pdus(pursuit, session, credential_ids, actor: Person, today: date):
    """The draft claim: type and Talent Triangle area suggested from the kind and the domain."""
    activity_type = fields.PDU_TYPE_OF_KIND.get(session.kind)
    if activity_type is None:
        kinds = ", ".join(fields.SESSION_KINDS[k] for k in fields.PDU_TYPE_OF_KIND)
        raise ValidationFailed({"as_pdu_for": [f"Only these kinds count as PDUs: {kinds}."]})
    pdus_earned = (Decimal(session.minutes) / 60 / Decimal("0.25")).to_integral_value(
        rounding=ROUND_DOWN
    ) * Decimal("0.25")
    if pdus_earned <= 0:
        raise ValidationFailed({"as_pdu_for": ["At least 15 minutes make a quarter PDU."]})
    area = next((d.area for d in pursuit.domains if d.name == session.domain), None)
    owner = db.session.get(Person, pursuit.person_id)
    raw = {
        "title": f"{pursuit.certification.code} study: {session.domain}",
        "activity_type": activity_type,
        "completed_on": session.studied_on,
        "pdus": str(pdus_earned),
        "areas": {area or "ways_of_working": str(pdus_earned)},
        "credential_ids": credential_ids,
        "status": "draft",
        "notes": "Logged as study toward " + pursuit.certification.name + ".",
    }
    try:
        return pdus.log_activity(owner, raw, actor=actor, today=today)
    except ValidationFailed as failed:
        raise ValidationFailed(
            {"as_pdu_for": [m for ms in failed.fields.values() for m in ms]}
        ) from failed


def update_session(
    session: StudySession, pursuit: Pursuit, raw: dict, *, actor: Person, today: date
) -> StudySession:
    if "as_pdu_for" in raw:
        raise ValidationFailed({"as_pdu_for": ["Only when a session is first logged."]})
    clean = clean_session(pursuit, raw, today=today, current=session)
    for name, value in clean.items():
        setattr(session, name, value)
    db.session.flush()
    record(
        "update",
        "study_session",
        session.id,
        actor_id=actor.id,
        person_id=pursuit.person_id,
        after={"minutes": session.minutes},
    )
    return session


def delete_session(session: StudySession, pursuit: Pursuit, *, actor: Person) -> None:
    record(
        "delete",
        "study_session",
        session.id,
        actor_id=actor.id,
        person_id=pursuit.person_id,
        before={"minutes": session.minutes},
    )
    db.session.delete(session)
    db.session.flush()
