"""Forms of reminders (shape only; ``settings.save_settings`` checks the values)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import Length

from pmolearn.reminders.schedule import DEFAULT_LEAD_DAYS


class SettingsForm(FlaskForm):
    email = BooleanField("Email me")
    inbox = BooleanField("Show them in my pmolearn inbox")
    lead_days = StringField(
        "Remind me this many days before a renewal deadline",
        validators=[Length(max=60)],
        description="Whole days, separated by commas; 0 is the day itself. Default: "
        + ", ".join(str(d) for d in DEFAULT_LEAD_DAYS)
        + ".",
    )
    digest = SelectField(
        "Send emails",
        choices=[
            SelectChoice("immediate", "As each reminder falls due"),
            SelectChoice("weekly", "In one weekly digest"),
        ],
    )

    def to_raw(self) -> dict:
        """The lead times as the service expects them; text that is not a list of whole
        numbers is passed through as text so that the service says what is wrong."""
        raw_leads = (self.lead_days.data or "").replace(";", ",")
        parts = [p.strip() for p in raw_leads.split(",") if p.strip()]
        leads: object = [int(p) for p in parts] if all(p.isdigit() for p in parts) else parts
        return {
            "email": bool(self.email.data),
            "inbox": bool(self.inbox.data),
            "lead_days": leads,
            "digest": self.digest.data,
        }


class ConfirmForm(FlaskForm):
    """A bare POST with its CSRF token."""
