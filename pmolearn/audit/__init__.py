"""The audit trail: who created, changed or deleted a record, when, and what changed."""
