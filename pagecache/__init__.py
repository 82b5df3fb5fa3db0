"""The full-page cache for anonymous visitors: serving, storing, and purging what a change shows."""
