"""Guided tours and "one order, six ways": the classroom's lessons across every style.

A tour is a short scripted lesson (data in each style's `tour.py`) that runs as a panel over a style's own
page, firing real actions through that style's public API and waiting for the learner. The
comparison sends one business event — order 42 shipped — through every built style at once and
measures, from the ledger, when each consumer learned of it, what it cost and what broke.
Like a style, this app meets the others only over the wire (their HTTP APIs), never by import.
"""
