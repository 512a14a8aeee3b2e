"""CLI subcommands: each module adds its subparser with register() and runs with run(args)."""
