"""The open data files of the request's site, under /open-data/.

Each is a plain view whose response the page cache keeps like a feed's (pagecache.middleware):
with its site's key and its pages wholesale, `Cache-Control: public, no-cache`, an ETag and
Last-Modified, compressed on the way out. A site whose IATI organisation identifier is not set
exports nothing: every file is a 404 that says so.
"""

import functools
import json
from decimal import Decimal

from django.http import HttpResponse, HttpResponseNotFound
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from opendata import iati, tables
from opendata.export import collect
from opendata.models import OpenDataSettings
from pagecache.sites import find_site
from pages.slugs import ascii_slug

XML = "application/xml; charset=utf-8"
JSON = "application/json"
CSV = "text/csv; charset=utf-8; header=present"


class DecimalEncoder(json.JSONEncoder):
    """Amounts and figures as JSON numbers: whole ones as integers, exactly."""

    def default(self, o):
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        return super().default(o)


def not_found(message):
    return HttpResponseNotFound(f"{message}\n", content_type="text/plain; charset=utf-8")


def exports_off():
    return not_found(
        _(
            "This organisation does not publish open data yet: its IATI organisation "
            "identifier is not set."
        )
    )


def file_response(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Open data: any website may read it from a visitor's browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def open_data_view(view):
    """Runs the view with the site's settings, or answers 404 when the site exports nothing."""

    @require_safe
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        open_data = OpenDataSettings.for_visitor(request) if find_site(request) else None
        if open_data is None or not open_data.enabled:
            return exports_off()
        return view(request, open_data, *args, **kwargs)

    return wrapped


def site_file_name(export, name):
    prefix = ascii_slug(export.organisation["short_name"] or "")
    return f"{prefix}-{name}" if prefix else name


@open_data_view
def iati_activities(request, open_data):
    export = collect(request, open_data)
    content = iati.activities_xml(export) if export else None
    if content is None:
        return not_found(_("No programme can be published in IATI yet: IATI needs a start date."))
    return file_response(content, XML, site_file_name(export, "iati-activities.xml"))


def json_bytes(data):
    return json.dumps(data, cls=DecimalEncoder, ensure_ascii=False, indent=2).encode() + b"\n"


def site_file(render, content_type, name, *, programmes=True):
    """The view of one of the site's files, written by render(export)."""

    @open_data_view
    def view(request, open_data):
        export = collect(request, open_data, programmes=programmes)
        if export is None:
            return not_found(_("This site has no home page."))
        return file_response(render(export), content_type, site_file_name(export, name))

    return view


iati_organisation = site_file(iati.organisation_xml, XML, "iati-organisation.xml", programmes=False)
programmes_json = site_file(lambda export: json_bytes(export.as_data()), JSON, "programmes.json")
programmes_csv = site_file(tables.programmes_csv, CSV, "programmes.csv")
results_csv = site_file(tables.results_csv, CSV, "results.csv")


def programme_not_found():
    return not_found(_("No published programme of this organisation has this number."))


@open_data_view
def programme_iati(request, open_data, page_id):
    export = collect(request, open_data, page_id)
    if export is None:
        return programme_not_found()
    content = iati.activities_xml(export)
    if content is None:
        return not_found(_("This programme is not in IATI yet: IATI needs a start date."))
    identifier = export.programmes[0]["iati"]["identifier"]
    return file_response(content, XML, f"{identifier}.xml")


@open_data_view
def programme_json(request, open_data, page_id):
    export = collect(request, open_data, page_id)
    if export is None:
        return programme_not_found()
    identifier = export.programmes[0]["iati"]["identifier"]
    return file_response(json_bytes(export.programme_data()), JSON, f"{identifier}.json")
