"""The certification catalog: issuers, certifications, versioned renewal policies, sources."""
