"""Admin forms for people and org units (shape only; the services check the rest)."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from pmolearn.authz import ACCESS_ROLE_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class PersonForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    org_unit_id = SelectField("Org unit", coerce=_int_or_none, validators=[DataRequired()])
    manager_id = IntegerField(
        "Manager (person id)", validators=[Optional()], description="Leave empty for none."
    )
    job_title = StringField("Job title", validators=[Optional(), Length(max=120)])
    current_role = SelectField("Current PMO role", validators=[Optional()])
    target_role = SelectField("Target PMO role", validators=[Optional()])
    roles = MultiCheckboxField(
        "Access roles",
        choices=[SelectChoice(r.value, label) for r, label in ACCESS_ROLE_LABELS.items()],
    )
    active = BooleanField("Active (may sign in)", default=True)
    pmi_member = BooleanField("PMI member (member fees apply)")
    password = PasswordField(
        "New password",
        validators=[Optional(), Length(min=8, max=200)],
        description="Leave empty to keep the current password.",
    )
    submit = SubmitField("Save")


class OrgUnitForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    code = StringField("Code", validators=[DataRequired(), Length(max=40)])
    parent_id = SelectField("Parent unit", coerce=_int_or_none, validators=[Optional()])
    submit = SubmitField("Save")
