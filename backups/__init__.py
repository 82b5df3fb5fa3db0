"""Backing up and restoring the database and the uploaded files, as one archive."""
