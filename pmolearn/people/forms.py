"""Admin forms for people and org units (shape only; the services check the rest)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from pmolearn.people import fields
from pmolearn.people.roles import ACCESS_ROLE_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class PersonForm(FlaskForm):
    """The service checks every field and says every problem at once, so the form's own
    validators only bound the lengths (a required field left empty is the service's to say)."""

    name = StringField(fields.NAME.label, validators=[Length(max=fields.NAME.limit)])
    email = EmailField(fields.EMAIL.label, validators=[Length(max=fields.EMAIL.limit)])
    org_unit_id = SelectField("Org unit", coerce=_int_or_none, validators=[Optional()])
    manager = StringField(
        "Manager",
        validators=[Optional(), Length(max=fields.EMAIL.limit)],
        description="Their email address or full name; leave empty for none.",
        render_kw={"list": "managers", "autocomplete": "off"},
    )
    job_title = StringField(
        fields.JOB_TITLE.label, validators=[Optional(), Length(max=fields.JOB_TITLE.limit)]
    )
    current_role = SelectField(fields.CURRENT_ROLE.label, validators=[Optional()])
    target_role = SelectField(fields.TARGET_ROLE.label, validators=[Optional()])
    roles = MultiCheckboxField(
        "Access roles",
        choices=[SelectChoice(r.value, label) for r, label in ACCESS_ROLE_LABELS.items()],
    )
    active = BooleanField("Active (may sign in)", default=True)
    pmi_member = BooleanField("PMI member (member fees apply)")
    password = PasswordField(
        "New password",
        validators=[Optional(), Length(max=fields.PASSWORD_MAX)],
        description="Leave empty to keep the current password.",
    )

    def for_creating(self) -> None:
        """A new person: "Password", and what an empty one means."""
        self.password.label.text = "Password"
        self.password.description = (
            "Leave empty: the person gets an invitation by email to choose their own."
        )

    submit = SubmitField("Save")


class OrgUnitForm(FlaskForm):
    name = StringField(
        fields.UNIT_NAME.label, validators=[DataRequired(), Length(max=fields.UNIT_NAME.limit)]
    )
    code = StringField(
        fields.UNIT_CODE.label,
        validators=[DataRequired(), Length(max=fields.UNIT_CODE.limit)],
        description=fields.UNIT_CODE.help,
    )
    parent_id = SelectField("Parent unit", coerce=_int_or_none, validators=[Optional()])
    submit = SubmitField("Save")


class PeopleImportForm(FlaskForm):
    file = FileField(
        "CSV file",
        validators=[
            FileRequired("Choose a CSV file."),
            FileAllowed(["csv"], "Upload a .csv file (save the spreadsheet as CSV UTF-8)."),
        ],
        description="UTF-8 CSV, one person per row, matched by email.",
        render_kw={"accept": ".csv,text/csv"},
    )
    dry_run = BooleanField("Only check: say what would happen, write nothing", default=True)
    skip_invalid = BooleanField("Import the good rows even if some are refused")
