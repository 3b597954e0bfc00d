"""File drop: Shop leaves a CSV in a folder at midnight; Accounting reads it in the morning.

Nobody talks live. The file is the whole conversation, so it must be complete before anyone can
see it (written under a temporary name, fsynced, renamed, then a manifest with its checksum and
row count), and the reader must check it line by line against the agreed columns. Simple, cheap,
works across organisations and old systems — but the data is hours old when it arrives, and
every classic failure (late, half-written, renamed column, one bad row) is found only the morning after.
"""
