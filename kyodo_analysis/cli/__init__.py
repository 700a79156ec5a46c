"""The commands: ``kyodo-report``, ``kyodo-survey`` and ``python -m kyodo_analysis.cli.make_data``."""
