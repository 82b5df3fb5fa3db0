"""The framework internals the project relies on (config/internals.py): used nowhere else, and
still behaving as relied on. A Django or Wagtail upgrade that changes one fails here first."""

import ast
import functools
import importlib.util
import logging
import re
from pathlib import Path

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Value
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.test import RequestFactory
from django.utils.log import log_response
from wagtail.documents import get_document_model
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from config import internals
from pages.models import SiteSettings
from tests.conftest import LIGHT, TEST_REDIS_URL, connect_to_test_redis
from tests.helpers import home_of, path_of
from tests.test_architecture import ROOT, project_modules

FRAMEWORKS = ["django", "wagtail", "wagtail_localize", "treebeard", "modelcluster", "taggit"]
FRAMEWORKS += ["allauth", "redis", "modelsearch", "laces", "telepath", "permissionedforms"]
# Underscored, but documented as public: Model._meta and its managers (Django's "Model _meta
# API", "Managers"), Paginator._get_page (a documented hook), namedtuple's _fields.
DOCUMENTED = {"_meta", "_base_manager", "_default_manager", "_get_page", "_fields"}
PRIVATE_NAME = re.compile(r"^_[A-Za-z]\w*$")


@functools.cache
def framework_names():
    """Every underscored identifier in the frameworks' source."""
    names = set()
    for package in FRAMEWORKS:
        location = Path(importlib.util.find_spec(package).origin).parent
        for path in location.rglob("*.py"):
            names.update(re.findall(r"\b(_[A-Za-z]\w*)", path.read_text(errors="ignore")))
    return names


def private_uses(tree):
    """(line, name) of each underscored attribute read or written, and each underscored name
    handed to getattr, hasattr or setattr."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and PRIVATE_NAME.match(node.attr):
            yield node.lineno, node.attr
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr", "setattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and PRIVATE_NAME.match(node.args[1].value)
        ):
            yield node.lineno, node.args[1].value


def own_names(trees):
    """The underscored names the project defines: functions, classes, variables, attributes."""
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return names


def test_private_framework_attributes_are_used_in_config_internals_only():
    modules = project_modules()
    trees = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in modules.items()}
    framework = framework_names()
    own = own_names(trees.values())
    assert "_wagtail_route_for_request" in framework  # the scan reads the frameworks

    used = [
        f"{modules[name].relative_to(ROOT)}:{line} uses {attribute}"
        for name, tree in trees.items()
        if name != "config.internals"
        for line, attribute in private_uses(tree)
        if attribute in framework and attribute not in own and attribute not in DOCUMENTED
    ]

    assert used == []


# What each internal does, checked against the installed frameworks


def light_request(path="/vi/"):
    return RequestFactory().get(path, HTTP_HOST=LIGHT)


@pytest.mark.django_db
def test_wagtail_serves_the_route_decided_for_it(django_assert_num_queries):
    page = home_of(LIGHT, "vi").get_children().live().first().specific
    request = light_request(path_of(page))
    assert not internals.routed(request)

    internals.set_route(request, RouteResult(page))

    with django_assert_num_queries(0):
        assert Page.route_for_request(request, path_of(page)).page is page
    assert internals.routed(request)
    assert internals.route_of(request).page is page
    internals.set_route(request, None)
    assert Page.route_for_request(request, path_of(page)) is None


@pytest.mark.django_db
def test_wagtail_takes_the_site_found_for_it(light, django_assert_num_queries):
    request = light_request()
    assert not internals.site_looked_up(request)

    internals.set_site(request, light)

    with django_assert_num_queries(0):
        assert Site.find_for_request(request) is light
    assert internals.site_looked_up(request)
    assert internals.known_site(request) is light


@pytest.mark.django_db
def test_site_settings_remembered_for_the_request(light, django_assert_num_queries):
    request = light_request()
    internals.set_site(request, light)
    site_settings = SiteSettings.objects.get(site=light)

    internals.remember_settings(request, site_settings)

    with django_assert_num_queries(0):
        assert SiteSettings.for_request(request) is site_settings


def test_the_test_clients_requests_skip_csrf_checks():
    checks = CsrfViewMiddleware(lambda request: None)
    request = RequestFactory().post("/")
    assert not internals.csrf_checks_skipped(request)
    assert checks.process_view(request, None, (), {}).status_code == 403

    request._dont_enforce_csrf_checks = True  # what Django's test client does

    assert internals.csrf_checks_skipped(request)
    assert checks.process_view(request, None, (), {}) is None


def test_a_response_marked_logged_is_not_logged_again(caplog):
    marked, plain = HttpResponse(status=503), HttpResponse(status=503)
    internals.mark_logged(marked)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        log_response("Service unavailable", response=marked, request=light_request())
        assert caplog.records == []
        log_response("Service unavailable", response=plain, request=light_request())
    assert len(caplog.records) == 1


@pytest.mark.django_db
def test_an_annotation_no_longer_selected_still_filters():
    pages = Page.objects.annotate(kept=Value(1)).filter(kept=1).order_by("pk")

    internals.stop_selecting(pages.query, {"kept"})

    assert '"kept"' not in str(pages.query).split(" FROM ")[0]
    assert list(pages.values_list("pk", flat=True)) == list(
        Page.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert not hasattr(pages[0], "kept")


def test_redis_clients_are_shared_and_work():
    redis = connect_to_test_redis()
    cache = RedisCache(TEST_REDIS_URL, {"KEY_PREFIX": "test-internals"})
    internals.use_shared_clients(cache)

    client = internals.redis_client(cache, write=True)

    assert internals.redis_client(cache, write=True) is client
    assert isinstance(cache._cache, internals.SharedClientRedisCacheClient)
    cache.set("shared", "yes")
    assert cache.get("shared") == "yes"
    redis.delete(*redis.keys("test-internals*"))


@pytest.mark.django_db
def test_tree_paths_as_treebeard_numbers_them(light):
    home = light.root_page
    child = home.get_children().order_by("path").last()
    step = internals.tree_step(Page, child.path[-Page.steplen :])

    assert internals.tree_path(Page, home.path, home.depth + 1, step) == child.path
    assert internals.tree_path(Page, home.path, home.depth + 1, step + 1) > child.path


@pytest.mark.django_db
def test_callbacks_awaiting_commit_are_known():
    def kept():
        pass

    def rolled_back():
        pass

    with transaction.atomic():
        transaction.on_commit(kept)
        with transaction.atomic():
            transaction.on_commit(rolled_back)
            assert internals.awaits_commit(rolled_back)
            transaction.set_rollback(True)

        assert internals.awaits_commit(kept)
        assert not internals.awaits_commit(rolled_back)


@pytest.mark.django_db
def test_inline_objects_set_are_known():
    home = home_of(LIGHT, "vi").specific
    assert "footer_links" not in internals.inline_objects_set(home)

    home.footer_links = []

    assert "footer_links" in internals.inline_objects_set(home)


@pytest.mark.django_db
def test_document_metadata_from_its_file():
    document = get_document_model()(title="Report")
    document.file = ContentFile(b"%PDF-1.4 a report", name="report.pdf")

    internals.set_file_metadata(document)

    assert document.file_size == len(b"%PDF-1.4 a report")
    assert document.file_hash
