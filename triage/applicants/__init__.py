"""Applicants: one person across messages — the link stage's matching, profiles, and staff actions."""
