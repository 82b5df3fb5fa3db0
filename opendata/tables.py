"""The CSV files: one row per programme (programmes.csv), one per result indicator and period
(results.csv), both languages side by side.

Made for spreadsheets as much as for programs: UTF-8 with a byte order mark (Excel then reads
Vietnamese correctly), a header row, numbers as plain numbers with a '.' before decimals, dates
as YYYY-MM-DD, several values in one cell separated by "; ". A text cell that a spreadsheet would
take for a formula (starting with =, +, -, @, a tab or a carriage return) starts with an
apostrophe instead. The columns are listed in opendata/README.md.
"""

import csv
import io

from opendata.export import LANGUAGES, SOURCE, plain

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATOR = "; "


def safe(text):
    """A text cell that no spreadsheet runs as a formula."""
    text = "" if text is None else str(text)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def per_language(name, values):
    """{name_vi: ..., name_en: ...} of {language: text}."""
    return {f"{name}_{language}": safe(values.get(language)) for language in LANGUAGES}


def joined(items):
    return safe(SEPARATOR.join(str(item) for item in items if item not in (None, "")))


def names(items, language):
    return joined(item["name"][language] for item in items)


def to_csv(columns, rows):
    out = io.StringIO()
    out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def language_columns(*names):
    return [f"{name}_{language}" for name in names for language in LANGUAGES]


PROGRAMME_COLUMNS = [
    "id",
    "iati_identifier",
    "in_iati_files",
    "code",
    *language_columns("title", "full_name", "summary", "area"),
    "status",
    *language_columns("status"),
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "provinces",
    *language_columns("places", "place_description", "target_groups", "participants"),
    "sectors",
    *language_columns("sectors"),
    "sdg_goals",
    "gender_marker",
    "budget_total",
    "budget_currency",
    "budgets",
    *language_columns("url"),
    "last_updated",
]

RESULT_COLUMNS = [
    "programme_id",
    "iati_identifier",
    "programme_code",
    *language_columns("indicator", "unit"),
    "measure",
    "ascending",
    "period_start",
    "period_end",
    "baseline",
    "baseline_year",
    "target",
    "actual",
]


def participants(programme, language):
    return joined(
        f"{participant['name'][language] or participant['name'][SOURCE]} "
        f"({participant['role']['name'][language]})"
        for participant in programme["participants"]
    )


def budget_total(budgets):
    """(total, currency) when every budget is in one currency, else ("", "")."""
    currencies = {budget["currency"] for budget in budgets}
    if len(currencies) != 1:
        return "", ""
    return plain(sum(budget["value"] for budget in budgets)), currencies.pop()


def programme_row(programme):
    status = programme["status"]
    total, currency = budget_total(programme["budgets"])
    dates = programme["dates"]
    row = {
        "id": programme["id"],
        "iati_identifier": safe(programme["iati"]["identifier"]),
        "in_iati_files": "yes" if programme["iati"]["reported"] else "no",
        "code": safe(programme["code"]),
        "status": status["code"] if status else "",
        "planned_start": dates["planned_start"] or "",
        "planned_end": dates["planned_end"] or "",
        "actual_start": dates["actual_start"] or "",
        "actual_end": dates["actual_end"] or "",
        "provinces": joined(place["province"] for place in programme["places"]),
        "sectors": joined(
            f"{sector['code']} ({sector['percentage']}%)" for sector in programme["sectors"]
        ),
        "sdg_goals": joined(goal["code"] for goal in programme["sdg_goals"]),
        "gender_marker": (programme["gender_marker"] or {}).get("code", ""),
        "budget_total": total,
        "budget_currency": currency,
        "budgets": joined(
            f"{budget['period_start']}/{budget['period_end']} {plain(budget['value'])} "
            f"{budget['currency']}"
            for budget in programme["budgets"]
        ),
        "last_updated": programme["last_updated"] or "",
    }
    for name in ("title", "full_name", "summary", "area", "place_description", "url"):
        row.update(per_language(name, programme[name]))
    for language in LANGUAGES:
        row[f"status_{language}"] = safe(status["name"][language] if status else "")
        row[f"places_{language}"] = names(programme["places"], language)
        row[f"target_groups_{language}"] = joined(programme["target_groups"][language] or [])
        row[f"participants_{language}"] = participants(programme, language)
        row[f"sectors_{language}"] = names(programme["sectors"], language)
    return row


def programmes_csv(export):
    return to_csv(PROGRAMME_COLUMNS, [programme_row(p) for p in export.programmes])


def result_rows(programme):
    for result in programme["results"]:
        row = {
            "programme_id": programme["id"],
            "iati_identifier": safe(programme["iati"]["identifier"]),
            "programme_code": safe(programme["code"]),
            "measure": result["measure"]["code"] if result["measure"] else "",
            "ascending": "yes" if result["ascending"] else "no",
            "period_start": result["period_start"] or "",
            "period_end": result["period_end"] or "",
            "baseline": plain(result["baseline"]),
            "baseline_year": result["baseline_year"] or "",
            "target": plain(result["target"]),
            "actual": plain(result["actual"]),
        }
        row.update(per_language("indicator", result["title"]))
        row.update(per_language("unit", result["unit"]))
        yield row


def results_csv(export):
    return to_csv(RESULT_COLUMNS, [row for p in export.programmes for row in result_rows(p)])
