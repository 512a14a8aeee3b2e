"""Adapters: the real implementations of the ports (IMAP, local Maildir, SMTP, NLP)."""
