"""Forms for credentials, PDU activities and evidence (shape only; the services check the rest).

PDU amounts are plain text fields on purpose: the service owns the rules (steps of 0.25, the
Education split adding up) and its messages land on these fields, so the page and the API say
the same thing.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from pmolearn.errors import ApiError, ValidationFailed
from pmolearn.pdus.engine import AREA_NAMES, AREAS
from pmolearn.pdus.models import ACTIVITY_STATUSES

PDU_INPUT = {"inputmode": "decimal", "type": "number", "step": "0.25", "min": "0"}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ServiceForm(FlaskForm):
    """A form whose input a service validates; a refusal is shown with :meth:`show_error`."""

    def show_error(self, error: ApiError) -> None:
        put_errors(self, error)


class CredentialForm(ServiceForm):
    certification = SelectField("Certification", validators=[InputRequired()])
    number = StringField(
        "Certification number",
        validators=[Optional(), Length(max=40)],
        description="As printed on the certificate (PMI: the 7-digit number).",
    )
    earned_on = DateField(
        "Date earned",
        validators=[InputRequired(message="Give the date the exam was passed.")],
        description="The day you passed the exam: the first cycle starts then.",
    )


class RenewForm(ServiceForm):
    renewed_on = DateField(
        "Renewed on",
        validators=[InputRequired(message="Give the renewal date.")],
        description="The day the issuer confirmed the renewal.",
    )


class ActivityForm(ServiceForm):
    title = StringField("Title", validators=[Length(max=200)])
    provider = StringField("Provider", validators=[Optional(), Length(max=200)])
    provider_id = StringField(
        "Provider ID",
        validators=[Optional(), Length(max=60)],
        description="The issuer's id for the provider, e.g. a PMI ATP number.",
    )
    activity_type = SelectField("Activity type")
    started_on = DateField("Started", validators=[Optional()])
    completed_on = DateField("Completed", validators=[Optional()])
    pdus = StringField("PDUs", render_kw=PDU_INPUT, description="In steps of 0.25 (1 hour = 1).")
    ways_of_working = StringField(AREA_NAMES["ways_of_working"], render_kw=PDU_INPUT)
    power_skills = StringField(AREA_NAMES["power_skills"], render_kw=PDU_INPUT)
    business_acumen = StringField(AREA_NAMES["business_acumen"], render_kw=PDU_INPUT)
    credential_ids = MultiCheckboxField("Apply to", coerce=int)
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)], render_kw={"rows": 3})
    draft = BooleanField("Save as a draft (it does not count until you claim it)")
    status = SelectField(
        "Status", choices=[SelectChoice(s, s.capitalize()) for s in ACTIVITY_STATUSES]
    )
    reported_on = DateField(
        "Reported to the issuer on",
        validators=[Optional()],
        description="When you entered this claim in the issuer's portal (PMI: CCRS).",
    )

    #: Fields copied as they are from an activity into the edit form.
    EDITABLE = (
        "title",
        "provider",
        "provider_id",
        "activity_type",
        "started_on",
        "completed_on",
        "notes",
        "status",
        "reported_on",
    )

    #: Messages about the Talent Triangle split as a whole (shown with the three area fields).
    area_errors: list[str]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_errors = []
        if editing:
            del self.draft
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

    def show_error(self, error: ApiError) -> None:
        put_errors(self, error)
        if not self.activity_type.data and self.activity_type.errors:
            self.activity_type.errors = ["Choose the kind of activity."]


class EvidenceForm(ServiceForm):
    file = FileField(
        "Evidence file",
        validators=[FileRequired(message="Choose a file to upload.")],
        description="A certificate or receipt: PDF, PNG or JPEG, at most 10 MB.",
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"},
    )


class ConfirmForm(ServiceForm):
    """A bare POST with its CSRF token (delete, mark reported)."""


def put_errors(form: FlaskForm, error: ApiError) -> None:
    """Show a refused service call on ``form``: each message on its field, the rest on top.

    ``areas`` (the split as a whole) goes to ``form.area_errors`` when the form has one;
    ``areas.power_skills`` goes to that field. A refusal that is not a plain validation
    failure (409, 413, 415) also shows its message at the top of the form.
    """
    for name, messages in (error.fields or {}).items():
        target = name.removeprefix("areas.")
        messages = [messages] if isinstance(messages, str) else list(messages)
        if name == "areas" and hasattr(form, "area_errors"):
            form.area_errors.extend(messages)
        elif target in form:
            form[target].errors = [*form[target].errors, *messages]
        else:
            form.form_errors.extend(messages)
    if not isinstance(error, ValidationFailed) or not error.fields:
        form.form_errors.insert(0, error.message)
    form.error_status = error.status


def form_status(form: FlaskForm) -> int:
    """200 for a fresh form; the refusal's status (422, 409, …) once it shows errors."""
    if getattr(form, "error_status", None):
        return form.error_status
    return 422 if form.is_submitted() and form.errors else 200
