"""Direct database access: Reporting reads Shop's tables straight from Shop's database.

It is fast and needs no one's permission — and that is the problem. Reporting is now coupled to
every column name and type Shop uses: when Shop ships a migration, Reporting's SQL breaks at
once, while anything that asked Shop's API keeps working because the API's contract hid the
change. And a connection that can read the tables can read everything in them, password hashes
included. So the page shows both dashboards side by side, lets Shop ship real migrations, shows
what the intruder's connection sees, and offers a console that is read-only in fact: the database
itself refuses every write, not a polite convention.
"""
