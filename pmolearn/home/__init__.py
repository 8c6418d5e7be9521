"""Home page per access role, the team list and a person's page, the navigation."""
