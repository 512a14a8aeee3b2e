"""Replies: reply templates, the outgoing message built from a draft, and the port it is sent through."""
