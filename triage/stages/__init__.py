"""Pipeline stages: each moves a message one status further, one message per transaction.

The order of the stages is declared once, in ``triage.pipeline.STAGE_ORDER``.
"""
