"""Predict, vote, then fire: peer instruction on the real system, graded by the ledger.

A question is tied to a real action (a style's triggers, the twins of its buttons) and to one of
the style's declared measurements. The class predicts (one or two rounds of votes), the action is
fired for real in the room's world, and the measurement reads what the ledger recorded to decide
which option was right. The answer is never written down beforehand: it is what happened.
"""
