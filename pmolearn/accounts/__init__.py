"""Signing in and out, the profile page and personal API tokens."""
