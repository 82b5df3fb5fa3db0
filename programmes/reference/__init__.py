"""Reference data kept in the code: IATI 2.03 codelists and schemas, Vietnam's provinces.

- `codelists`: the IATI codelists in `iati/codelists/`, with choices for model fields;
- `provinces`: Vietnam's provinces in the 63-unit list (until 30 June 2025) and the 34-unit list
  (from 1 July 2025), stored as "<list>:<slug>";
- `validation`: IATI 2.03 XSD validation and a check of coded values (for tests; needs lxml).
"""
