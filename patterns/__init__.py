"""The communication styles, each a small Django app, plus the ledger and contracts they share."""
