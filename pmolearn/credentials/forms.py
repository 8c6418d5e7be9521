"""Forms for adding and renewing a credential (shape only; the services check the rest)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from pmolearn.credentials import fields


class CredentialForm(FlaskForm):
    certification = SelectField(fields.CERTIFICATION.label, validators=[InputRequired()])
    number = StringField(
        fields.NUMBER.label,
        validators=[Optional(), Length(max=fields.NUMBER.limit)],
        description=fields.NUMBER.help,
    )
    earned_on = DateField(
        fields.EARNED_ON.label,
        validators=[InputRequired(message="Give the date the exam was passed.")],
        description=fields.EARNED_ON.help,
    )


class RenewForm(FlaskForm):
    renewed_on = DateField(
        fields.RENEWED_ON.label,
        validators=[InputRequired(message="Give the renewal date.")],
        description=fields.RENEWED_ON.help,
    )
    #: Set by the confirmation step: renewing opens a new cycle and cannot be undone here.
    confirmed = HiddenField()

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed.data == "yes"
