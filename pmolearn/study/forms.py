"""Forms for study (shape only; the services check the rest and their messages land here).

Numbers are text fields so that the service, not the form, says what is wrong with them, in the
same words as the API.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
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

from pmolearn.study import fields

HOURS_INPUT = {"inputmode": "decimal", "type": "number", "step": "0.5", "min": "0.5"}
WHOLE_INPUT = {"inputmode": "numeric", "type": "number", "step": "1", "min": "1"}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(mapping: dict, first: str | None = None) -> list[SelectChoice]:
    head = [SelectChoice("", first)] if first else []
    return head + [SelectChoice(code, label) for code, label in mapping.items()]


class PursuitForm(FlaskForm):
    certification = SelectField(fields.CERTIFICATION.label)
    target_exam_on = DateField(
        fields.TARGET_EXAM_ON.label, validators=[Optional()], description=fields.TARGET_EXAM_ON.help
    )
    weekly_hours = StringField(
        fields.WEEKLY_HOURS.label, render_kw=HOURS_INPUT, description=fields.WEEKLY_HOURS.help
    )
    total_hours = StringField(
        fields.TOTAL_HOURS.label, render_kw=HOURS_INPUT, description=fields.TOTAL_HOURS.help
    )

    def to_raw(self) -> dict:
        raw = {
            "certification": self.certification.data,
            "target_exam_on": self.target_exam_on.data,
            "weekly_hours": (self.weekly_hours.data or "").strip(),
        }
        if (self.total_hours.data or "").strip():
            raw["total_hours"] = self.total_hours.data.strip()
        return raw


class PlanForm(FlaskForm):
    target_exam_on = DateField(fields.TARGET_EXAM_ON.label, validators=[Optional()])
    weekly_hours = StringField(fields.WEEKLY_HOURS.label, render_kw=HOURS_INPUT)
    total_hours = StringField("Hours in all", render_kw=HOURS_INPUT)

    def to_raw(self) -> dict:
        return {
            "target_exam_on": self.target_exam_on.data,
            "weekly_hours": (self.weekly_hours.data or "").strip(),
            "total_hours": (self.total_hours.data or "").strip(),
        }


class StageForm(FlaskForm):
    stage = SelectField("Move to")
    target_exam_on = DateField(
        "Exam date",
        validators=[Optional()],
        description="For a scheduled exam: the day; for a result: the day it was taken.",
    )


class SessionForm(FlaskForm):
    studied_on = DateField(fields.STUDIED_ON.label, validators=[Optional()])
    minutes = StringField(fields.MINUTES.label, render_kw=WHOLE_INPUT)
    domain = SelectField(fields.DOMAIN.label)
    kind = SelectField(fields.KIND.label, choices=_choices(fields.SESSION_KINDS))
    score = StringField(
        fields.SCORE.label,
        render_kw={"inputmode": "numeric", "type": "number", "min": "0", "max": "100"},
        description=fields.SCORE.help,
    )
    notes = TextAreaField(
        fields.NOTES.label,
        validators=[Optional(), Length(max=fields.NOTES.limit)],
        description=fields.NOTES.help,
        render_kw={"rows": 2},
    )
    as_pdu_for = MultiCheckboxField(
        "Also log it as a draft PDU claim for", coerce=int, validate_choice=False
    )

    def to_raw(self) -> dict:
        raw = {
            "studied_on": self.studied_on.data,
            "minutes": (self.minutes.data or "").strip(),
            "domain": self.domain.data,
            "kind": self.kind.data,
            "score": (self.score.data or "").strip() or None,
            "notes": self.notes.data,
        }
        if "as_pdu_for" in self and self.as_pdu_for.data:
            raw["as_pdu_for"] = list(self.as_pdu_for.data)
        return raw


class EducationForm(FlaskForm):
    education_level = SelectField(
        "Highest education", choices=_choices(fields.EDUCATION_LEVELS, "Choose…")
    )
    gac_accredited = BooleanField("From a PMI GAC-accredited programme")


class ExperienceForm(FlaskForm):
    title = StringField(
        fields.TITLE.label,
        validators=[Length(max=fields.TITLE.limit)],
        description="The project, programme or role.",
    )
    organisation = StringField(
        fields.ORGANISATION.label, validators=[Optional(), Length(max=fields.ORGANISATION.limit)]
    )
    kind = SelectField("Leading", choices=_choices(fields.EXPERIENCE_KINDS))
    agile = BooleanField("Agile work (PMI-ACP counts it apart)")
    started_on = DateField("From", validators=[Optional()])
    ended_on = DateField("To", validators=[Optional()], description="Leave empty if it goes on.")


class TrainingForm(FlaskForm):
    title = StringField(fields.TITLE.label, validators=[Length(max=fields.TITLE.limit)])
    provider = StringField(
        fields.PROVIDER.label, validators=[Optional(), Length(max=fields.PROVIDER.limit)]
    )
    topic = SelectField("Topic", choices=_choices(fields.TRAINING_TOPICS))
    hours = StringField(fields.HOURS.label, render_kw={**HOURS_INPUT, "step": "0.25"})
    completed_on = DateField("Completed", validators=[Optional()])


class ConfirmForm(FlaskForm):
    """A bare POST with its CSRF token (delete)."""
