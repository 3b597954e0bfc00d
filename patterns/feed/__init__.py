"""The page's live feed: one WebSocket per page that replays what the page missed by ledger id,
then follows live. Broadcasts are only a doorbell (doorbell.py, hub.py); the ledger is the truth.
Workers and beat announce themselves here too (heartbeat.py), for the health page."""
