"""The database: SQLAlchemy models, engine set-up, migrations and the queries the stages share."""
