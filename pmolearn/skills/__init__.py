"""The skill framework (SFIA 9 codes) and the PMO job roles with their requirements."""
