"""Credentials, PDU activities and their compliance: the use cases behind pages and API.

The package grew from one module; callers keep using ``pdus.services.<name>``:
``credentials`` (cycles, statuses, compliance, renewal), ``activities`` (PDU claims) and
``team`` (summaries over many people).
"""

from pmolearn.pdus.services.activities import (
    Lookups,
    activities_query,
    activity_for,
    activity_owner,
    catalog_activity_types,
    clean_activity,
    create_activity,
    delete_activity,
    log_activity,
    snapshot,
    update_activity,
)
from pmolearn.pdus.services.credentials import (
    CredentialView,
    add_credential,
    applied_activities,
    counts_to,
    credential_for,
    credential_status,
    credential_view,
    credential_views,
    credentials_query,
    engine_policy,
    evaluate_cycle,
    grace_end,
    renew,
)
from pmolearn.pdus.services.team import (
    Deadline,
    credential_statuses,
    upcoming_deadlines,
)

__all__ = [
    "CredentialView",
    "Deadline",
    "Lookups",
    "activities_query",
    "activity_for",
    "activity_owner",
    "add_credential",
    "applied_activities",
    "catalog_activity_types",
    "clean_activity",
    "counts_to",
    "create_activity",
    "credential_for",
    "credential_status",
    "credential_statuses",
    "credential_view",
    "credential_views",
    "credentials_query",
    "delete_activity",
    "engine_policy",
    "evaluate_cycle",
    "grace_end",
    "log_activity",
    "renew",
    "snapshot",
    "upcoming_deadlines",
    "update_activity",
]
