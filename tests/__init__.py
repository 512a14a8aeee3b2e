"""Test suite for triage."""
