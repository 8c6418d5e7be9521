"""The fields of a credential and of a renewal, read by forms, API schemas and services."""

from __future__ import annotations

from datetime import date

from pmolearn.fields import Field

CERTIFICATION = Field("certification", "Certification", limit=20, required=True,
                      identifier=True, csv="certification")  # fmt: skip
NUMBER = Field(
    "number",
    "Certification number",
    limit=40,
    identifier=True,
    csv="number",
    help="As printed on the certificate (PMI: the 7-digit number).",
)
EARNED_ON = Field("earned_on", "Date earned", required=True, csv="earned_on",
                  help="The day you passed the exam: the first cycle starts then.")  # fmt: skip
RENEWED_ON = Field("renewed_on", "Renewed on", required=True,
                   help="The day the issuer confirmed the renewal.")  # fmt: skip
CREDENTIAL = (CERTIFICATION, NUMBER, EARNED_ON)

#: No credential or claim is dated before this (a date typed with the wrong century).
EARLIEST_DATE = date(1970, 1, 1)
