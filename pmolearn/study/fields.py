"""The fields of study records: pursuits, sessions, experience, training and the study profile.

One spec each, read by forms, API schemas, services and serialisers; the vocabularies (stages,
kinds, topics, education levels) are defined here once.
"""

from __future__ import annotations

from decimal import Decimal

from pmolearn.fields import Field

#: A pursuit moves through these in order; the last three end it (failed can be retaken).
STAGES = (
    "planning",
    "studying",
    "eligible",
    "applied",
    "exam_scheduled",
    "passed",
    "failed",
    "withdrawn",
)
STAGE_LABELS = {
    "planning": "Planning",
    "studying": "Studying",
    "eligible": "Eligible",
    "applied": "Applied",
    "exam_scheduled": "Exam scheduled",
    "passed": "Passed",
    "failed": "Failed",
    "withdrawn": "Withdrawn",
}
OPEN_STAGES = ("planning", "studying", "eligible", "applied", "exam_scheduled", "failed")

#: What a study session was; the first four may also count as PDUs (PMI activity types).
SESSION_KINDS = {
    "course": "Course or class",
    "reading": "Reading",
    "video": "Video or webinar",
    "study_group": "Study group or discussion",
    "practice_exam": "Practice exam",
    "flashcards": "Flashcards and drills",
    "other": "Other",
}
#: The PMI activity type a session becomes when it also counts as PDUs.
PDU_TYPE_OF_KIND = {
    "course": "course",
    "reading": "reading",
    "video": "online_media",
    "study_group": "informal_learning",
}

EXPERIENCE_KINDS = {
    "project": "Projects",
    "program": "Programmes",
    "portfolio": "Portfolios",
    "pmo": "A PMO",
}
TRAINING_TOPICS = {
    "project_management": "Project management",
    "agile": "Agile practices",
    "pmo": "PMO education",
    "program_management": "Programme management",
    "implementing_safe": "Implementing SAFe course",
    "other": "Other",
}
EDUCATION_LEVELS = {
    "secondary": "Secondary diploma (high school or equivalent)",
    "associate": "Associate degree",
    "bachelor": "Four-year degree (bachelor's or equivalent)",
    "postgraduate": "Postgraduate degree",
}

CERTIFICATION = Field("certification", "Certification", limit=20, required=True, identifier=True)
TARGET_EXAM_ON = Field(
    "target_exam_on",
    "Target exam date",
    required=True,
    help="When you plan to sit the exam; the plan follows its outline.",
)
WEEKLY_HOURS = Field(
    "weekly_hours", "Hours a week", required=True, help="What you can give it in a normal week."
)
TOTAL_HOURS = Field(
    "total_hours", "Hours in all", help="Leave empty for pmolearn's suggestion for this exam."
)
STUDIED_ON = Field("studied_on", "Date", required=True)
MINUTES = Field("minutes", "Minutes", required=True)
DOMAIN = Field("domain", "Exam domain", limit=120, required=True)
KIND = Field("kind", "Kind", limit=20, required=True)
SCORE = Field("score", "Practice-exam score (%)", help="Only for a practice exam: 0 to 100.")
NOTES = Field(
    "notes",
    "Private notes",
    limit=2000,
    multiline=True,
    help="Only you (and administrators) see these.",
)
TITLE = Field("title", "Title", limit=200, required=True)
ORGANISATION = Field("organisation", "Organisation", limit=200)
PROVIDER = Field("provider", "Provider", limit=200)
HOURS = Field("hours", "Hours", required=True)

MAX_MINUTES = 24 * 60
MAX_WEEKLY_HOURS = Decimal(80)
MAX_TOTAL_HOURS = Decimal(2000)
MAX_TRAINING_HOURS = Decimal(2000)
#: Training hours are logged in quarters of an hour, at least one.
TRAINING_HOURS_STEP = Decimal("0.25")
