import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page, Site
from wagtail_localize.models import Translation

from organisations.roles import site_ids_of
from translations.parity import Status, counts, parity


@require_POST
def save_translation(request, translation_id):
    """The translation editor's strings written to the page as a draft, and sent for review.

    wagtail-localize's editor keeps each string as it is typed, but only someone who may publish
    can write them to the page ("Publish in English"), which skips the review workflow.
    Translators and editors save a draft and submit it, as they would any page.
    """
    translation = get_object_or_404(Translation, pk=translation_id, enabled=True)
    page = translation.get_target_instance()
    if not isinstance(page, Page):
        raise Http404
    page = page.specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if page.workflow_in_progress:
        messages.error(request, _("This translation is already in review."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    try:
        translation.save_target(user=request.user, publish=False)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("wagtailadmin_pages:edit", page.pk)
    page = page.specific_class.objects.get(pk=page.pk)
    workflow = page.get_workflow()
    if "submit" in request.POST and workflow is not None:
        workflow.start(page, request.user)
        messages.success(request, _("The translation is saved and sent for review."))
    else:
        messages.success(request, _("The translation is saved as a draft."))
    return redirect("wagtailadmin_pages:edit", page.pk)


def own_sites(user):
    return (
        Site.objects.filter(id__in=site_ids_of(user))
        .select_related("root_page")
        .order_by("site_name")
    )


@require_GET
def parity_view(request):
    """Per site: every page and partner, with the state of its English translation."""
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    sites = list(own_sites(request.user))
    if not sites:
        raise PermissionDenied
    chosen = request.GET.get("site", "")
    site = next((site for site in sites if str(site.pk) == chosen), sites[0])
    rows = parity(site)
    sections = list(dict.fromkeys(row.section for row in rows))
    section = request.GET.get("section", "")
    status = request.GET.get("status", "")
    shown = [
        row
        for row in rows
        if (not section or row.section == section) and (not status or row.status == status)
    ]
    if request.GET.get("export") == "csv":
        return parity_csv(site, shown)
    return TemplateResponse(
        request,
        "translations/parity.html",
        {
            "page_title": _("Translation parity"),
            "header_icon": "wagtail-localize-language",
            "sites": sites,
            "site": site,
            "sections": sections,
            "section": section,
            "statuses": [(key, Status.LABELS[key]) for key in Status.ORDER],
            "status": status,
            "rows": shown,
            "counts": counts(rows),
            "csv_query": urlencode(
                {"site": site.pk, "section": section, "status": status, "export": "csv"}
            ),
        },
    )


CSV_COLUMNS = [
    ("kind", _("Kind")),
    ("section", _("Section")),
    ("title", _("Title")),
    ("source_status_label", _("Vietnamese")),
    ("status_label", _("English")),
    ("segments_left", _("Segments left to translate")),
    ("images_without_alt", _("Images without alt text")),
]


def parity_csv(site, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"translations-{slugify(site.site_name or site.hostname)}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow([str(label) for _name, label in CSV_COLUMNS])
    for row in rows:
        values = [getattr(row, name) for name, _label in CSV_COLUMNS]
        writer.writerow(
            [" ".join(value) if isinstance(value, list) else str(value) for value in values]
        )
    return response
