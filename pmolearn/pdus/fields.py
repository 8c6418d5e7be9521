"""The fields of a PDU activity: one spec each, read by the form, the API schema, the service,
the CSV importer, the audit pack and the serialiser."""

from __future__ import annotations

from decimal import Decimal

from pmolearn.fields import Field

TITLE = Field("title", "Title", limit=200, required=True, csv="title")
PROVIDER = Field("provider", "Provider", limit=200, csv="provider")
PROVIDER_ID = Field(
    "provider_id",
    "Provider ID",
    limit=60,
    identifier=True,
    csv="provider_id",
    help="The issuer's id for the provider, e.g. a PMI ATP number.",
)
ACTIVITY_TYPE = Field("activity_type", "Activity type", limit=40, required=True,
                      identifier=True, csv="activity_type")  # fmt: skip
CATEGORY = Field("category", "Category", csv="category")
STARTED_ON = Field("started_on", "Started", csv="started_on")
COMPLETED_ON = Field("completed_on", "Completed", required=True, csv="completed_on")
PDUS = Field("pdus", "PDUs", required=True, csv="pdus", help="In steps of 0.25 (1 hour = 1).")
AREAS = Field("areas", "Talent Triangle split")
CREDENTIAL_IDS = Field("credential_ids", "Apply to", csv="certifications")
NOTES = Field("notes", "Notes", limit=5000, multiline=True, csv="notes")
STATUS = Field("status", "Status", csv="status")
REPORTED_ON = Field(
    "reported_on",
    "Reported to the issuer on",
    csv="reported_on",
    help="When you entered this claim in the issuer's portal (PMI: CCRS).",
)

#: Every field an activity body may carry (API, form, importer), in CCRS order.
ACTIVITY = (
    TITLE, PROVIDER, PROVIDER_ID, ACTIVITY_TYPE, STARTED_ON, COMPLETED_ON, PDUS, AREAS,
    CREDENTIAL_IDS, NOTES, STATUS, REPORTED_ON,
)  # fmt: skip
ACTIVITY_NAMES = tuple(f.name for f in ACTIVITY)
#: The free-text fields, cleaned by the same rule whatever door they come through.
TEXT = (TITLE, PROVIDER, PROVIDER_ID, NOTES)

#: The columns of an audit pack's claims.csv: the claim as the issuer's auditor reads it.
AUDIT_COLUMNS = (
    "activity_id", TITLE.csv, CATEGORY.csv, ACTIVITY_TYPE.csv, PROVIDER.csv, PROVIDER_ID.csv,
    STARTED_ON.csv, COMPLETED_ON.csv, PDUS.csv, "ways_of_working", "power_skills",
    "business_acumen", STATUS.csv, REPORTED_ON.csv,
)  # fmt: skip

#: PDUs come in quarters (PMI: reportable in 0.25 increments).
QUARTER = Decimal("0.25")
MAX_PDUS = Decimal("999.75")
STATUSES = ("draft", "claimed", "approved", "rejected")
NEW_STATUSES = ("draft", "claimed")
