"""Small helpers to set up credentials, claims and evidence, committed as a request would."""

from __future__ import annotations

import base64
from datetime import date
from io import BytesIO

from werkzeug.datastructures import FileStorage

from pmolearn import clock
from pmolearn.credentials import services as credentials
from pmolearn.extensions import db
from pmolearn.pdus import services as pdus
from pmolearn.pdus.evidence import add_evidence

#: A valid 1×1 PNG: evidence is checked by content, so it must be a real image.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def hold_pmp(person, earned_on=date(2024, 3, 1)):
    """Give ``person`` a PMP credential, committed as a request would."""
    credential = credentials.add_credential(
        person, "PMP", "123", earned_on, actor=person, today=clock.today()
    )
    db.session.commit()
    return credential


def course(title, completed_on, pdus="3", *, credential=None, status="claimed"):
    """An Education claim (all in Ways of Working), as the API takes it."""
    return {
        "title": title,
        "provider": "Acme Training",
        "activity_type": "course",
        "completed_on": completed_on,
        "pdus": pdus,
        "areas": {"ways_of_working": pdus},
        "credential_ids": [credential.id] if credential else [],
        "status": status,
    }


def log(person, raw):
    activity = pdus.log_activity(person, raw, actor=person, today=clock.today())
    db.session.commit()
    return activity


def attach(activity, person, data=PNG, filename="cert.png"):
    item = add_evidence(activity, FileStorage(BytesIO(data), filename=filename), actor=person)
    db.session.commit()
    return item
