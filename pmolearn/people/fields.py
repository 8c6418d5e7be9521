"""The fields of a person and an org unit, and the one email rule (normalise, then validate).

An organisation's own mail domains are accepted, internal ones included (``corp.local``,
``hq.internal``): pmolearn mails the staff of one organisation, whose addresses need not be
deliverable from the internet.
"""

from __future__ import annotations

import unicodedata

import email_validator
from email_validator import EmailNotValidError, validate_email

from pmolearn.fields import Field

#: email_validator rejects RFC 6762's ".local" as special-use; its list is public API meant to
#: be adjusted by applications (see its ``__init__``). Company intranets use it for mail.
email_validator.SPECIAL_USE_DOMAIN_NAMES = [
    d for d in email_validator.SPECIAL_USE_DOMAIN_NAMES if d not in ("local",)
]

EMAIL = Field("email", "Email", limit=254, required=True, csv="email")
NAME = Field("name", "Full name", limit=120, required=True, csv="name")
JOB_TITLE = Field("job_title", "Job title", limit=120, csv="job_title")
CURRENT_ROLE = Field("current_role", "Current PMO role", limit=40, csv="current_role",
                     identifier=True)  # fmt: skip
TARGET_ROLE = Field("target_role", "Target PMO role", limit=40, csv="target_role",
                    identifier=True)  # fmt: skip
PASSWORD_MIN = 8
PASSWORD_MAX = 200
PERSON = (EMAIL, NAME, JOB_TITLE, CURRENT_ROLE, TARGET_ROLE)

UNIT_NAME = Field("name", "Name", limit=120, required=True)
UNIT_CODE = Field("code", "Code", limit=40, required=True, identifier=True,
                  help="A short code without spaces, e.g. EPMO.")  # fmt: skip


def normalise_email(email: str | None) -> str:
    """How an address is stored and matched: trimmed, NFC, lower-case."""
    return unicodedata.normalize("NFC", (email or "").strip()).lower()


def clean_email(email, errors: dict[str, list[str]], name: str = "email") -> str:
    """The normalised address, or "" with the reason in ``errors[name]``."""
    if not isinstance(email, str) or not email.strip():
        errors[name] = ["Give an email address."]
        return ""
    text = normalise_email(email)
    if len(text) > EMAIL.limit:
        errors[name] = [f"At most {EMAIL.limit} characters."]
        return ""
    try:
        validated = validate_email(text, check_deliverability=False, globally_deliverable=False)
    except EmailNotValidError as error:
        errors[name] = [str(error)]
        return ""
    return normalise_email(validated.normalized)
