from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.outage import RETRY_AFTER_SECONDS


@never_cache
@require_safe
def healthz(request):
    """For load balancers: 200 while the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse("ok\n", content_type="text/plain")


def page_not_found(request, exception):
    """The admin's own 404 under /admin/, the public site's everywhere else."""
    if request.path_info.startswith("/admin/"):
        return render(request, "wagtailadmin/404.html", status=404)
    return defaults.page_not_found(request, exception)
