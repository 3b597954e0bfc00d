"""What every page and every style shares, above the ledger: how an app declares itself (styles.py),
the pages every visitor sees, the API's error shape, CSRF and story time."""
