"""The site search: matching without diacritics, ranking, highlighting, a lean PostgreSQL query."""
