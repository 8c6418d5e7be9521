"""People and the org-unit tree: who works where, who manages whom, and who sees whom."""
