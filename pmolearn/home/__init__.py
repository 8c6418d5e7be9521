"""Home page per access role, and the private calendar feed."""
