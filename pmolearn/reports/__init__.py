"""HR's reports: roster, expiring, compliance, pipeline, costs, headcount and the audit trail,
as JSON pages, CSV and XLSX downloads of the same rows, and pages."""
