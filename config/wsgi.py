import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# What is loaded by now (Django, Wagtail, the apps, their models and URLs) lives as long as the
# worker. Frozen, it is left out of the garbage collector's full collections, which otherwise
# walk all of it every few dozen requests.
get_resolver().url_patterns  # noqa: B018 - imports every view now rather than on a request
gc.freeze()
