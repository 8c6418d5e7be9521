"""Passwords by email: invitations and resets as one-time links (random secrets, stored as
SHA-256 digests, void after 24 hours, after use, or when a newer link is made), setting and
changing a password (which ends the person's other sessions), and the emails that carry the
links. Every link starts with PMOLEARN_BASE_URL."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from markupsafe import escape
from sqlalchemy import select, update

from pmolearn.accounts.models import PasswordLink
from pmolearn.clock import now
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db
from pmolearn.mail import Mail, Mailer, MailError
from pmolearn.people.fields import PASSWORD_MAX, normalise_email
from pmolearn.people.models import Person
from pmolearn.web import public_url

LINK_HOURS = 24
PASSWORD_MIN = 10
PURPOSES = {"invite": "accounts.welcome", "reset": "accounts.reset_password"}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=now().tzinfo)


def issue_link(person: Person, purpose: str) -> str:
    """A new one-time link for ``person`` (earlier unused ones of the purpose become void);
    returns its full URL, shown nowhere but in the email."""
    moment = now()
    db.session.execute(
        update(PasswordLink)
        .where(
            PasswordLink.person_id == person.id,
            PasswordLink.purpose == purpose,
            PasswordLink.used_at.is_(None),
        )
        .values(used_at=moment)
        .execution_options(synchronize_session=False)
    )
    secret = secrets.token_urlsafe(32)
    db.session.add(
        PasswordLink(
            person_id=person.id,
            purpose=purpose,
            token_hash=_digest(secret),
            created_at=moment,
            expires_at=moment + timedelta(hours=LINK_HOURS),
        )
    )
    db.session.flush()
    return public_url(PURPOSES[purpose], token=secret)


def link_of(secret: str, purpose: str) -> PasswordLink | None:
    """The live link with this secret: unused, unexpired, of an active person; else None."""
    if not secret or len(secret) > 100:
        return None
    link = db.session.scalar(
        select(PasswordLink).where(
            PasswordLink.token_hash == _digest(secret), PasswordLink.purpose == purpose
        )
    )
    if link is None or link.used_at is not None or _aware(link.expires_at) <= now():
        return None
    return link if link.person.active else None


def check_new_password(person: Person, password: str, confirm: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not password or len(password) < PASSWORD_MIN:
        errors["password"] = [f"Use at least {PASSWORD_MIN} characters."]
    elif len(password) > PASSWORD_MAX:
        errors["password"] = [f"Use at most {PASSWORD_MAX} characters."]
    elif password.strip().lower() in (person.email, person.name.lower()):
        errors["password"] = ["Not your email address or your name."]
    if password != confirm and "password" not in errors:
        errors["confirm"] = ["The two passwords differ."]
    return errors


def set_password(person: Person, password: str, confirm: str) -> Person:
    """Set a new password; every session of the person ends, and every open link is void.

    :raises ValidationFailed: too short or too long, the email or name, or the two differ.
    """
    errors = check_new_password(person, password, confirm)
    if errors:
        raise ValidationFailed(errors)
    person.set_password(password)
    person.end_sessions()
    db.session.execute(
        update(PasswordLink)
        .where(PasswordLink.person_id == person.id, PasswordLink.used_at.is_(None))
        .values(used_at=now())
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return person


def change_password(person: Person, current: str, password: str, confirm: str) -> Person:
    """:raises ValidationFailed: the current password is wrong, or the new one is refused."""
    if not person.check_password(current or ""):
        raise ValidationFailed({"current": ["That is not your current password."]})
    return set_password(person, password, confirm)


# --- the emails ------------------------------------------------------------------------------


def _send(mail: Mail) -> None:
    with Mailer(current_app.config) as mailer:
        mailer.send(mail)


def invite(person: Person) -> None:
    """Email ``person`` a link to choose their password.

    :raises MailError: the mail server could not take it (the link is made all the same; an
        admin may send another).
    """
    url = issue_link(person, "invite")
    db.session.commit()
    first = person.name.split(" ")[0]
    text = (
        f"Hello {first},\n\nYou have a pmolearn account: the place where your certifications, "
        f"PDUs and study plans are tracked. Choose your password here (the link works once, "
        f"for {LINK_HOURS} hours):\n\n{url}\n\nYou sign in with {person.email}."
    )
    html = (
        f"<p>Hello {escape(first)},</p><p>You have a pmolearn account: the place where your "
        "certifications, PDUs and study plans are tracked.</p>"
        f'<p><a href="{escape(url)}">Choose your password</a> (the link works once, for '
        f"{LINK_HOURS} hours).</p><p>You sign in with {escape(person.email)}.</p>"
    )
    _send(Mail(person.email, "Your pmolearn account: choose a password", text, html))


def request_reset(email: str) -> None:
    """Email a reset link if an active account has this address; say nothing either way."""
    address = normalise_email(email)
    if not address or len(address) > 254:
        return
    person = db.session.scalar(select(Person).where(Person.email == address))
    if person is None or not person.active:
        return
    url = issue_link(person, "reset")
    db.session.commit()
    text = (
        f"Someone (probably you) asked to reset the pmolearn password of {person.email}.\n\n"
        f"Choose a new one here (the link works once, for {LINK_HOURS} hours):\n\n{url}\n\n"
        "If it was not you, ignore this email: your password stays as it is."
    )
    html = (
        f"<p>Someone (probably you) asked to reset the pmolearn password of "
        f'{escape(person.email)}.</p><p><a href="{escape(url)}">Choose a new password</a> '
        f"(the link works once, for {LINK_HOURS} hours).</p><p>If it was not you, ignore this "
        "email: your password stays as it is.</p>"
    )
    try:
        _send(Mail(person.email, "Reset your pmolearn password", text, html))
    except MailError:
        current_app.logger.exception("The password reset email could not be sent")
