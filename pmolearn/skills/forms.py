"""Forms of capability (shape only; the services check the values)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional


class AssessmentForm(FlaskForm):
    skill = SelectField("Skill")
    level = SelectField("Level", coerce=str)
    note = TextAreaField(
        "Note",
        validators=[Optional(), Length(max=500)],
        render_kw={"rows": 2},
        description="What the level rests on (a project, feedback); at most 500 characters.",
    )

    def to_raw(self, source: str) -> dict:
        level = self.level.data or ""
        return {
            "skill": self.skill.data,
            "level": int(level) if level.isdigit() else level,
            "source": source,
            "note": self.note.data,
        }
