"""Study toward a certification: pursuits, plans, sessions, eligibility, exam attempts."""
