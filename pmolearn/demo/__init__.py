"""Demo organisation: a deterministic, realistic company made with Faker (``pmolearn demo``)."""
