"""A seventh style, defined only for the tests: a carrier pigeon carries a note from the loft to a
window. It proves that a style is one folder and one line (PLAYGROUND_EXTRA_APPS here): its page,
its API, `manage.py fire` and the live feed work without touching anything else."""
