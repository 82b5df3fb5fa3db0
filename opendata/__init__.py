"""Open data: each site's published programmes as IATI 2.03 XML, JSON and CSV, and the page
that lists those files.

- `export`: the site's published, public programmes read in a fixed number of queries, each as
  a plain dict (the JSON shape, documented in `opendata/README.md`), reused by every format;
- `iati`: IATI 2.03 activity and organisation files built from those dicts;
- `tables`: the CSV files, one row per programme and one per result indicator period;
- `views`, `urls`: the files under `/open-data/`, cached like feeds; `purge`: what else purges
  them (partners, documents, private collections);
- `templatetags.opendata_tags`: a programme page's links to its own files;
- `models`: the site's open data settings (the IATI organisation identifier, without which
  nothing is exported) and the Open data page.
"""
