"""The ledger: one table recording every hop of every message, in every style.

The ledger is the truth; the channel layer is only a doorbell. Pages keep the last ledger id
they saw and resume from it, so a dropped broadcast or a sleeping laptop never loses a message.
What every style shares lives here too: recording, the live feed, story time and the `fire`
command's registry.
"""
