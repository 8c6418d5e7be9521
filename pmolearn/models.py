"""Import registry: every feature's models, so Alembic and ``pmolearn shell`` see them all."""

from pmolearn.accounts.models import ApiToken, PasswordLink
from pmolearn.audit.models import AuditEvent
from pmolearn.catalog.models import (
    ActivityType,
    CatalogState,
    Certification,
    EligibilityRuleSet,
    Issuer,
    RenewalPolicy,
    Source,
)
from pmolearn.credentials.models import Credential, CredentialCycle
from pmolearn.pdus.models import EvidenceFile, PduActivity, pdu_applications
from pmolearn.people.models import OrgUnit, Person, PersonRole
from pmolearn.reminders.models import NotificationSettings, Reminder, ReminderRun
from pmolearn.revisions import DataRevision
from pmolearn.skills.models import (
    CertificationSkill,
    JobRole,
    JobRoleCertificationGroup,
    JobRoleSkill,
    Skill,
    SkillAssessment,
    SkillLevel,
)
from pmolearn.study.models import (
    ExamAttempt,
    ExperienceEntry,
    PlanDomain,
    Pursuit,
    StudyProfile,
    StudySession,
    TrainingEntry,
)

__all__ = [
    "CertificationSkill",
    "SkillAssessment",
    "PasswordLink",
    "NotificationSettings",
    "Reminder",
    "ReminderRun",
    "ExamAttempt",
    "ExperienceEntry",
    "PlanDomain",
    "Pursuit",
    "StudyProfile",
    "StudySession",
    "TrainingEntry",
    "ActivityType",
    "CatalogState",
    "DataRevision",
    "ApiToken",
    "AuditEvent",
    "Certification",
    "Credential",
    "EligibilityRuleSet",
    "CredentialCycle",
    "EvidenceFile",
    "Issuer",
    "JobRole",
    "JobRoleCertificationGroup",
    "JobRoleSkill",
    "OrgUnit",
    "PduActivity",
    "Person",
    "PersonRole",
    "RenewalPolicy",
    "Skill",
    "SkillLevel",
    "Source",
    "pdu_applications",
]
