"""A person's reminder settings: channels, lead times, digest; and the signed token of the
one-click unsubscribe link (it names one person and cannot be forged for another)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from pmolearn.audit.services import record
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.people.models import Person
from pmolearn.reminders import schedule
from pmolearn.reminders.models import NotificationSettings

# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    email: bool = True
    inbox: bool = True
    lead_days: tuple[int, ...] = schedule.DEFAULT_LEAD_DAYS
    digest: str = "immediate"

    def to_dict(self) -> dict:
        return {
            "email": self.email,
            "inbox": self.inbox,
            "lead_days": list(self.lead_days),
            "digest": self.digest,
        }


def settings_of(person_ids: Iterable[int]) -> dict[int, Settings]:
    """Everyone's settings (the defaults where none were saved), in one statement."""
    ids = list(person_ids)
    saved = {
        s.person_id: Settings(s.email, s.inbox, tuple(s.lead_days), s.digest)
        for s in db.session.scalars(
            select(NotificationSettings).where(NotificationSettings.person_id.in_(ids))
        )
    }
    return {pid: saved.get(pid, Settings()) for pid in ids}


# --- changing ---------------------------------------------------------------------

MAX_LEADS = 8
MAX_LEAD_DAYS = 365
SETTING_FIELDS = ("email", "inbox", "lead_days", "digest")


def save_settings(person: Person, raw: dict, *, actor: Person) -> Settings:
    """Change some or all settings; every bad field is refused at once and nothing is saved.

    :raises ValidationFailed: an unknown field, a non-boolean channel, lead times that are not
        1 to 8 whole numbers of days from 0 to 365, an unknown digest.
    """
    errors: dict[str, list[str]] = {}
    for name in sorted(set(raw) - set(SETTING_FIELDS)):
        errors[name] = ["Unknown field."]
    current = settings_of([person.id])[person.id]
    values = current.to_dict()
    for name in ("email", "inbox"):
        if name in raw:
            if not isinstance(raw[name], bool):
                errors[name] = ["Must be true or false."]
            else:
                values[name] = raw[name]
    if "lead_days" in raw:
        leads = raw["lead_days"]
        if (
            not isinstance(leads, list)
            or not 1 <= len(leads) <= MAX_LEADS
            or not all(isinstance(d, int) and not isinstance(d, bool) for d in leads)
            or not all(0 <= d <= MAX_LEAD_DAYS for d in leads)
        ):
            errors["lead_days"] = [
                f"Give 1 to {MAX_LEADS} whole numbers of days from 0 (the day itself) to "
                f"{MAX_LEAD_DAYS}."
            ]
        else:
            values["lead_days"] = sorted(set(leads), reverse=True)
    if "digest" in raw:
        if raw["digest"] not in ("immediate", "weekly"):
            errors["digest"] = ["Must be immediate or weekly."]
        else:
            values["digest"] = raw["digest"]
    if errors:
        raise ValidationFailed(errors)
    row = db.session.get(NotificationSettings, person.id)
    if row is None:
        row = NotificationSettings(person_id=person.id)
        db.session.add(row)
    row.email, row.inbox = values["email"], values["inbox"]
    row.lead_days, row.digest = values["lead_days"], values["digest"]
    db.session.flush()
    record(
        "update",
        "notification_settings",
        person.id,
        actor_id=actor.id,
        person_id=person.id,
        before=current.to_dict(),
        after=values,
    )
    return Settings(values["email"], values["inbox"], tuple(values["lead_days"]), values["digest"])


def unsubscribe(person_id: int) -> bool:
    """Turn email reminders off for one person (the unsubscribe link's owner); False when the
    person is gone."""
    person = db.session.get(Person, person_id)
    if person is None:
        return False
    if settings_of([person_id])[person_id].email:
        save_settings(person, {"email": False}, actor=person)
    return True


# --- unsubscribe links ---


def unsubscribe_token(person_id: int) -> str:
    return _serializer().dumps(person_id)


def person_of_unsubscribe(token: str) -> int | None:
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="pmolearn-unsubscribe")
