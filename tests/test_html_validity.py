"""Every kind of page is valid HTML5, as the Nu Html Checker (vnu.jar) reads it.

`make vnu` fetches the pinned jar into var/vnu/ (`make test` does it when npm and Java are
there). Without Java or the jar the test is skipped locally and fails in CI. All documents go to
the checker in one run, because starting the JVM is the slow part.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.views.defaults import server_error
from wagtail_factories import ImageFactory

from config.outage import unavailable_response
from pages.models import ContactPage, StandardPage, StoryIndexPage
from tests.conftest import LIFE, LIGHT
from tests.factories import StoryPageFactory
from tests.helpers import PAGE_TYPES, home_of, pages_of_each_type, path_of

pytestmark = pytest.mark.django_db

VNU_JAR = Path(settings.BASE_DIR) / "var" / "vnu" / "vnu.jar"
CHECKER_TIMEOUT_SECONDS = 600
VALID_MESSAGE = {"name": "Nguyễn Thị Lan", "email": "lan@example.org", "message": "Xin chào!"}


@pytest.fixture
def checker():
    """The command that runs the checker; without Java or the jar, a skip (a failure in CI)."""
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("Java 17+ is not installed (apt-get install -y default-jre-headless)")
    if not VNU_JAR.is_file():
        missing.append(f"{VNU_JAR} is missing (`make vnu` fetches it with npm)")
    if missing:
        message = "Cannot check HTML validity: " + "; ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-jar", str(VNU_JAR)]


def fetch(documents, label, response, status=200):
    assert response.status_code == status, f"{label}: HTTP {response.status_code}, not {status}"
    documents[label] = response.content


def page_of_each_type(client, documents):
    rendered_types = set()
    for hostname in (LIGHT, LIFE):
        for language in ("vi", "en"):
            for page in pages_of_each_type(hostname, language):
                rendered_types.add(type(page))
                path = path_of(page)
                fetch(documents, f"{hostname}{path}", client.get(path, HTTP_HOST=hostname))
    assert rendered_types == set(PAGE_TYPES), "the demo content lacks a page type"


def special_pages(client, documents):
    for hostname, language in ((LIGHT, "vi"), (LIFE, "en")):
        path = f"/{language}/no-such-page/"
        fetch(documents, f"{hostname}{path}", client.get(path, HTTP_HOST=hostname), 404)

    for query, found in (("bao luc", True), ("zzqxj", False)):
        response = client.get("/vi/search/", {"q": query}, HTTP_HOST=LIGHT)
        fetch(documents, f"{LIGHT}/vi/search/?q={query}", response)
        assert bool(response.context["results"].paginator.count) is found

    contact = ContactPage.objects.descendant_of(home_of(LIFE, "en")).get()
    path = path_of(contact)
    response = client.post(path, {"name": "", "email": "not an address"}, HTTP_HOST=LIFE)
    fetch(documents, f"{LIFE}{path} (form errors)", response)
    assert response.context["form"].errors
    contact = ContactPage.objects.descendant_of(home_of(LIGHT, "vi")).get()
    path = path_of(contact)
    response = client.post(path, VALID_MESSAGE, HTTP_HOST=LIGHT)
    fetch(documents, f"{LIGHT}{path} (thank you)", response)
    assert "pages/contact_page_landing.html" in [template.name for template in response.templates]

    for hostname, path in (
        (LIGHT, "/vi/accounts/login/"),
        (LIFE, "/en/accounts/password/reset/"),
        (LIGHT, "/en/accounts/signup/"),
    ):
        fetch(documents, f"{hostname}{path}", client.get(path, HTTP_HOST=hostname))
    for _attempt in range(4):  # the fourth reset request for one email address is refused
        response = client.post("/vi/accounts/password/reset/", VALID_MESSAGE, HTTP_HOST=LIFE)
    fetch(documents, f"{LIFE}/vi/accounts/password/reset/ (too many)", response, 429)

    # A second page of stories, whose images are narrower than some of the widths offered.
    index = StoryIndexPage.objects.descendant_of(home_of(LIGHT, "vi")).get()
    images = [ImageFactory(file__width=width) for width in (300, 640, 1000)]
    for number in range(index.stories_per_page):
        StoryPageFactory(parent=index, image=images[number % len(images)])
    for path in (path_of(index), f"{path_of(index)}?page=2"):
        fetch(documents, f"{LIGHT}{path}", client.get(path, HTTP_HOST=LIGHT))

    # A page with no English translation: the switcher offers the nearest translated ancestor.
    home_of(LIGHT, "vi").add_child(instance=StandardPage(title="Chỉ tiếng Việt", slug="chi-vi"))
    response = client.get("/vi/chi-vi/", HTTP_HOST=LIGHT)
    fetch(documents, f"{LIGHT}/vi/chi-vi/ (switcher fallback)", response)
    assert b"language-switcher__fallback" in response.content

    request = RequestFactory().get("/vi/", HTTP_HOST=LIGHT)
    documents["the 500 page"] = server_error(request).content
    documents["the 503 page"] = unavailable_response().content
    fetch(documents, "an unknown host (400)", client.get("/vi/", HTTP_HOST="elsewhere.test"), 400)


def validation_errors(checker, documents, directory):
    """The checker's errors, one line each, naming the page they come from."""
    labels = {}
    for number, (label, content) in enumerate(documents.items()):
        path = directory / f"{number:03}.html"
        path.write_bytes(content)
        labels[path.name] = label
    result = subprocess.run(  # noqa: S603 (our own command line)
        [*checker, "--errors-only", "--format", "json", "--stdout", "--exit-zero-always"]
        + [str(directory / name) for name in labels],
        capture_output=True,
        timeout=CHECKER_TIMEOUT_SECONDS,
        check=False,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"The checker did not answer in JSON:\n{result.stdout!r}\n{result.stderr!r}")
    return [
        f"{labels.get(Path(m.get('url', '')).name, m.get('url'))} line {m.get('lastLine', '?')}: "
        f"{m['message']}\n    {m.get('extract', '').strip()}"
        for m in messages
        if m["type"] in {"error", "non-document-error"}
    ]


def test_every_kind_of_page_is_valid_html5(client, checker, tmp_path):
    documents = {}
    page_of_each_type(client, documents)
    special_pages(client, documents)

    errors = validation_errors(checker, documents, tmp_path)

    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
