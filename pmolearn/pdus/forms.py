"""Forms for PDU activities and evidence (shape only; the services check the rest).

PDU amounts are plain text fields on purpose: the service owns the rules (steps of 0.25, the
Education split adding up) and its messages land on these fields, so the page and the API say
the same thing. Labels and limits come from ``pdus.fields``.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from pmolearn.credentials.compliance import AREA_NAMES, AREAS
from pmolearn.pdus import fields
from pmolearn.pdus.import_file import MAX_ROWS

PDU_INPUT = {"inputmode": "decimal", "type": "number", "step": "0.25", "min": "0"}
EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
EVIDENCE_HELP = "A certificate or receipt: PDF, PNG or JPEG, at most 10 MB each."


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _length(spec: fields.Field) -> list:
    return [Optional(), Length(max=spec.limit)]


class ActivityForm(FlaskForm):
    title = StringField(fields.TITLE.label, validators=[Length(max=fields.TITLE.limit)])
    provider = StringField(fields.PROVIDER.label, validators=_length(fields.PROVIDER))
    provider_id = StringField(
        fields.PROVIDER_ID.label,
        validators=_length(fields.PROVIDER_ID),
        description=fields.PROVIDER_ID.help,
    )
    activity_type = SelectField(fields.ACTIVITY_TYPE.label)
    started_on = DateField(fields.STARTED_ON.label, validators=[Optional()])
    completed_on = DateField(fields.COMPLETED_ON.label, validators=[Optional()])
    pdus = StringField(fields.PDUS.label, render_kw=PDU_INPUT, description=fields.PDUS.help)
    ways_of_working = StringField(AREA_NAMES["ways_of_working"], render_kw=PDU_INPUT)
    power_skills = StringField(AREA_NAMES["power_skills"], render_kw=PDU_INPUT)
    business_acumen = StringField(AREA_NAMES["business_acumen"], render_kw=PDU_INPUT)
    credential_ids = MultiCheckboxField(fields.CREDENTIAL_IDS.label, coerce=int)
    notes = TextAreaField(
        fields.NOTES.label, validators=_length(fields.NOTES), render_kw={"rows": 3}
    )
    draft = BooleanField("Save as a draft (it does not count until you claim it)")
    status = SelectField(
        fields.STATUS.label, choices=[SelectChoice(s, s.capitalize()) for s in fields.STATUSES]
    )
    reported_on = DateField(
        fields.REPORTED_ON.label, validators=[Optional()], description=fields.REPORTED_ON.help
    )
    evidence = MultipleFileField(
        "Evidence files (optional)",
        description=EVIDENCE_HELP + " You can also add them later.",
        render_kw={"accept": EVIDENCE_ACCEPT},
    )

    #: Fields copied as they are from an activity into the edit form.
    EDITABLE = ("title", "provider", "provider_id", "activity_type", "started_on",
                "completed_on", "notes", "status", "reported_on")  # fmt: skip

    #: Messages about the Talent Triangle split as a whole (shown with the three area fields).
    area_errors: list[str]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_errors = []
        if editing:
            del self.draft
            del self.evidence
        else:
            del self.status

    def to_raw(self) -> dict:
        """The service's input: only the fields the person filled in."""
        raw = {
            "title": self.title.data,
            "provider": self.provider.data,
            "provider_id": self.provider_id.data,
            "activity_type": self.activity_type.data,
            "started_on": self.started_on.data,
            "completed_on": self.completed_on.data,
            "pdus": (self.pdus.data or "").strip(),
            "areas": {
                area: value for area in AREAS if (value := (getattr(self, area).data or "").strip())
            },
            "credential_ids": list(self.credential_ids.data or []),
            "notes": self.notes.data,
            "reported_on": self.reported_on.data,
        }
        if "status" in self:
            raw["status"] = self.status.data
        else:
            raw["status"] = "draft" if self.draft.data else "claimed"
        return raw

    @property
    def uploads(self) -> list:
        """The evidence files chosen in this step (empty file inputs left out)."""
        if "evidence" not in self:
            return []
        return [f for f in (self.evidence.data or []) if getattr(f, "filename", "")]


class EvidenceForm(FlaskForm):
    file = FileField(
        "Evidence file",
        validators=[FileRequired(message="Choose a file to upload.")],
        description=EVIDENCE_HELP,
        render_kw={"accept": EVIDENCE_ACCEPT},
    )


class ConfirmForm(FlaskForm):
    """A bare POST with its CSRF token (delete, mark reported)."""


class ImportForm(FlaskForm):
    file = FileField(
        "CSV file",
        validators=[
            FileRequired("Choose a CSV file."),
            FileAllowed(["csv"], "Upload a .csv file (save the spreadsheet as CSV UTF-8)."),
        ],
        description=f"UTF-8 CSV, one activity per row, at most {MAX_ROWS:,} rows.",
        render_kw={"accept": ".csv,text/csv"},
    )
