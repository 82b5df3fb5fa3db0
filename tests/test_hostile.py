"""Hostile and broken input: a 4xx or a friendly form error, never a 5xx, and nothing stored.

Three layers, on the demo content: table-driven cases through Django's test client; raw HTTP
against a live server for what the client cannot send (undecodable bytes, over-long request
lines, any method, no CSRF exemption); and Hypothesis, generating paths, query strings, searches
and contact-form posts against that server. Bogus uploads are tests/test_uploads.py's.
"""

import contextlib
import email
import html
import http.client
import socket
from dataclasses import dataclass
from urllib.parse import quote, unquote

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.core.validators import validate_email
from django.http import QueryDict
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from wagtail.contrib.forms.models import FormSubmission
from wagtail.contrib.search_promotions.models import Query

from pages.models import ContactPage, StoryIndexPage
from pages.models.contact import HONEYPOT_FIELD
from sitesearch.views import REFUSED_QUERY_LENGTH, clean_query
from tests.conftest import LIFE, LIGHT
from tests.helpers import home_of, live_server, pages_of_each_type, path_of

pytestmark = pytest.mark.django_db
# Hypothesis keeps caches on disk (examples are not kept: database=None below): under var/,
# not in the working tree.
set_hypothesis_home_dir(django_settings.VAR_DIR / "hypothesis")

VALID = {"name": "Nguyễn Thị Lan", "email": "lan@example.org", "message": "Xin chào LIGHT!"}
VALID_BODY = b"name=Lan&email=lan%40example.org&message=hello"
SCRIPT = '<script>alert("xss")</script>'
INJECTED = "\r\nBcc: victim@example.org\r\nX-Injected: yes"
# What a path traversal would leak: lines of manage.py and of the settings.
SECRETS = ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "execute_from_command_line")
# What the error pages say, in each language.
NOT_FOUND = {"vi": "Không tìm thấy trang", "en": "Page not found"}
BAD_REQUEST = {"vi": "Yêu cầu không hợp lệ", "en": "Bad request"}


# What visitors' requests could store


def stored_rows():
    """Row counts of everything an anonymous request could add."""
    return {
        model.__name__: model.objects.count()
        for model in (FormSubmission, Query, Session, get_user_model())
    }


def contact_page(hostname=LIGHT, language="vi"):
    page = ContactPage.objects.descendant_of(home_of(hostname, language)).get()
    return page.specific


def story_index(hostname=LIGHT, language="vi"):
    return StoryIndexPage.objects.descendant_of(home_of(hostname, language)).get()


def assert_handled(status, body=""):
    """A 5xx is the one answer hostile input must never get."""
    assert status < 500, f"{status}: {body[:2000]}"


# A live server, for what the test client cannot send


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: str


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """A live server on the test database, without the media-file server Django's adds.

    Requests go one at a time, so on SQLite it shares the test's in-memory connection (and its
    transaction). On PostgreSQL it has a connection of its own and commits what it stores:
    whatever it stored is deleted again once this module's tests are done.
    """
    with django_db_blocker.unblock():
        last_submission = FormSubmission.objects.order_by("-pk").values_list("pk", flat=True)
        last_submission = last_submission.first() or 0
        # LiveServerThread wraps the application in a media-file server that production does
        # not have; unwrap it, so that /media/ is answered by the application itself.
        with live_server(lambda media: media.application) as port:
            yield port
        FormSubmission.objects.filter(pk__gt=last_submission).delete()


def send(port, target, method=b"GET", host=LIGHT, headers=(), body=b""):
    """One request, its target sent byte for byte as given; the response, parsed."""
    lines = [
        method + b" " + target + b" HTTP/1.1",
        b"Host: " + host.encode("latin-1"),
        b"Connection: close",
    ]
    if not any(header.lower().startswith(b"content-length:") for header in headers):
        lines.append(b"Content-Length: %d" % len(body))
    lines.extend(headers)
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        # The server may answer before reading everything: its answer is what counts.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        response = http.client.HTTPResponse(sock, method=method.decode("latin-1"))
        response.begin()
        content = response.read()
    return Reply(response.status, response.headers, content.decode("utf-8", "replace"))


def encode_path(text):
    """A path as a browser sends it: UTF-8 (undecodable where the text has lone surrogates),
    percent-encoded where the request line needs it, and any '%' the text holds left raw."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="/%?&=;:@!$'()*+,~").encode()


# Paths


TRAVERSALS = [
    "/static/../config/settings/base.py",
    "/static/..%2f..%2fmanage.py",
    "/static/%2e%2e/%2e%2e/manage.py",
    "/static/css/..%2f..%2f..%2fmanage.py",
    "/media/../manage.py",
    "/media/%2e%2e/%2e%2e/manage.py",
    "/media/..%2f..%2fconfig/settings/base.py",
    "/documents/../manage.py",
    "/documents/1/..%2f..%2fmanage.py",
    "/vi/..%2f..%2fmanage.py",
    "/vi/../../manage.py",
    "/en/../",
    "/en/../vi/",
]

ODD_PATHS = [
    "/xx/",
    "/vi-VN/",
    "/VI/",
    "/zh-hans/",
    "//vi//",
    "/vi//lien-he//",
    "/vi/%FF/",
    "/vi/%00/",
    "/vi/%C0%AF/",
    "/vi/%E0%A4%A/",
    "/vi/%/",
    "/vi/%%32%65/",
    "/vi/\u0111\u00e0o-t\u1ea1o/",
    "/vi/" + "a" * 10_000 + "/",
    # As deep as gunicorn's longest request line (4094 bytes) lets a path be.
    "/vi/" + "ab/" * 1300,
    "/" + "a" * 10_000,
    "/vi/?" + "a" * 10_000,
    "/vi/?" + "&".join(f"f{i}=1" for i in range(2000)),
    "/documents/99999999999999999999/x.pdf",
    "/documents/0/x.pdf",
    "/documents/abc/",
    "/admin/pages/99999999999999999999/",
    "/theme.css?v=%00",
    "/healthz?%FF",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_finds_nothing(client, path):
    response = client.get(path, HTTP_HOST=LIGHT, follow=True)

    assert response.status_code == 404
    assert not any(secret in response.text for secret in SECRETS)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_sent_raw_finds_nothing(server, path):
    reply = send(server, path.encode())

    assert reply.status in {301, 302, 404}
    assert not any(secret in reply.body for secret in SECRETS)


@pytest.mark.parametrize("path", ODD_PATHS, ids=lambda path: path[:40])
def test_odd_paths_are_answered_without_a_server_error(client, path):
    before = stored_rows()

    response = client.get(path, HTTP_HOST=LIGHT, follow=True)

    assert_handled(response.status_code, response.text)
    assert stored_rows() == before


RAW_TARGETS = [
    b"/vi/\xff\xfe/",
    b"/vi/\xc0\xaf/",
    b"/vi/\xed\xa0\x80/",  # a lone surrogate, as UTF-8 bytes
    b"/vi/%ED%A0%80/",
    b"/\xff/",
    b"/vi/search/?q=\xff\xfe",
    b"/vi/search/?\xff=\xfe&q=%FF%00",
    b"/vi/search/?q=%ED%A0%80",
    b"/vi/tin-tuc/?page=\xff&tag=\x80",
    b"/sitemap.xml?\xff",
    b"/robots.txt?%",
    b"/vi/feed/?%zz=%",
    b"/theme.css?v=\xff",
    b"/healthz?\x80",
    b"/admin/login/?next=\xff",
    b"/vi/accounts/login/?next=%0d%0aSet-Cookie:%20x=1",
    b"*",
    b"http://evil.example/vi/",
    b"/vi/" + b"a" * 10_000,
    b"/vi/?" + b"q=" + b"%FF" * 3_000,
]


@pytest.mark.parametrize("target", RAW_TARGETS, ids=lambda target: repr(target[:40]))
def test_undecodable_and_odd_request_targets(server, target):
    before = stored_rows()

    reply = send(server, target)

    assert_handled(reply.status, reply.body)
    assert stored_rows() == before


def test_an_over_long_request_line_is_refused(server):
    reply = send(server, b"/vi/" + b"a" * 70_000)

    assert reply.status == 414


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "path",
    [
        f"/{{language}}/{SCRIPT}/",
        '/{language}/"><img src=x onerror=alert(1)>/',
        "/{language}/..%2f%3Cscript%3E/",
    ],
)
def test_not_found_page_speaks_both_languages_and_reflects_nothing(client, path, language):
    response = client.get(path.format(language=language), HTTP_HOST=LIGHT)

    assert response.status_code == 404
    assert NOT_FOUND["vi"] in response.text
    assert NOT_FOUND["en"] in response.text
    assert f'<html lang="{language}">' in response.text
    # The path may come back percent-encoded (in the canonical link), never as markup.
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"path": "/vi/search/", "data": {"q": "x" * (REFUSED_QUERY_LENGTH + 1)}},
        {"path": "/vi/", "HTTP_HOST": "light.localhost:abc"},
        {"path": "/en/", "HTTP_HOST": "evil<script>.example"},
        {"path": "/vi/search/", "data": {f"f{i}": "1" for i in range(2000)}},
    ],
    ids=["query too long", "invalid port", "invalid host", "too many fields"],
)
def test_bad_request_page_speaks_both_languages_and_reflects_nothing(client, request_kwargs):
    request_kwargs = {"HTTP_HOST": LIGHT, **request_kwargs}

    response = client.get(**request_kwargs)

    assert response.status_code == 400
    assert BAD_REQUEST["vi"] in response.text
    assert BAD_REQUEST["en"] in response.text
    assert "<script" not in response.text
    assert 'href="/vi/"' in response.text
    assert 'href="/en/"' in response.text


# Query strings: page numbers, feeds, sitemap and robots


BAD_PAGE_NUMBERS = ["0", "-1", "1e9", "abc", "", "1.5", "NaN", "inf", "9" * 30, "9" * 5_000, "\x00"]


@pytest.mark.parametrize("number", BAD_PAGE_NUMBERS, ids=repr)
def test_story_index_with_a_bad_page_number_shows_a_real_page(client, number):
    index = story_index()

    response = client.get(path_of(index), {"page": number}, HTTP_HOST=LIGHT)

    assert response.status_code == 200
    stories = response.context["stories"]
    assert stories.number in {1, stories.paginator.num_pages}
    assert stories.object_list


def test_story_index_with_repeated_page_numbers_takes_the_last(client):
    index = story_index()

    response = client.get(path_of(index) + "?page=abc&page=1&page=2", HTTP_HOST=LIGHT)

    assert response.status_code == 200
    stories = response.context["stories"]
    assert stories.number == min(2, stories.paginator.num_pages)


@pytest.mark.parametrize(
    "tag", ["\x00", "nul\x00tag", "%", "_", "' OR 1=1 --", SCRIPT, "a" * 10_000], ids=repr
)
def test_story_index_with_a_hostile_tag_lists_nothing_and_escapes_it(client, tag):
    response = client.get(path_of(story_index()), {"tag": tag}, HTTP_HOST=LIGHT)

    assert response.status_code == 200
    assert not response.context["stories"].object_list
    assert SCRIPT not in response.text


@pytest.mark.parametrize("number", BAD_PAGE_NUMBERS, ids=repr)
def test_search_with_a_bad_page_number_shows_a_real_page(client, number):
    response = client.get("/en/search/", {"q": "HIV", "page": number}, HTTP_HOST=LIFE)

    assert response.status_code == 200
    results = response.context["results"]
    assert results.number in {1, results.paginator.num_pages}


@pytest.mark.parametrize("path", ["/vi/feed/", "/en/feed/", "/sitemap.xml", "/robots.txt"])
@pytest.mark.parametrize(
    "query",
    ["?page=-1&q=%00", "?%FF=%FE", "?q=" + "x" * 10_000, "?a=1&a=2&a[]=3", "?%", "?=&=&"],
    ids=lambda query: query[:20],
)
def test_feeds_and_crawler_files_ignore_odd_query_strings(client, path, query):
    response = client.get(path + query, HTTP_HOST=LIFE)

    assert response.status_code == 200


# Methods


METHODS = [b"HEAD", b"OPTIONS", b"PUT", b"DELETE", b"PATCH", b"TRACE", b"PROPFIND"]


@pytest.mark.parametrize("method", METHODS, ids=lambda method: method.decode())
def test_any_method_on_any_kind_of_url_is_answered(server, method):
    with_language = ["/vi/", "/vi/lien-he/", "/vi/tin-tuc/", "/vi/search/?q=a", "/vi/feed/"]
    targets = [*with_language, "/sitemap.xml", "/robots.txt", "/vi/accounts/login/", "/healthz"]
    before = stored_rows()

    for target in targets:
        reply = send(server, target.encode(), method=method, body=b"name=x&email=x@example.org")
        assert_handled(reply.status, reply.body)

    assert stored_rows() == before
    assert mail.outbox == []


def test_unsafe_methods_on_pages_need_the_csrf_check(server):
    for method in (b"POST", b"PUT", b"DELETE", b"PATCH"):
        assert send(server, b"/vi/", method=method, body=b"a=b").status == 403


# Search


HOSTILE_QUERIES = [
    "\x00",
    "nul\x00byte",
    "' OR 1=1 --",
    "%",
    "_",
    "%_%",
    "\\",
    ".*",
    "(",
    "[a-",
    "a & b",
    "a | b",
    "!a",
    "!",
    "a:*",
    ":*",
    "(a",
    "a <-> b",
    "<->",
    "<2>",
    "&&",
    "a & !b | (c <-> d):*",
    "'",
    '"',
    "''",
    "a:b",
    "*",
    "\u0111\u00e0o t\u1ea1o",
    "\u200b\ufeff",
    SCRIPT,
    "x" * REFUSED_QUERY_LENGTH,
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda query: repr(query[:20]))
def test_hostile_search_queries_get_results_or_none(client, query, language):
    before = stored_rows()

    response = client.get(f"/{language}/search/", {"q": query}, HTTP_HOST=LIGHT)

    assert response.status_code == 200
    shown = clean_query(query)
    if shown:
        assert html.escape(shown) in response.text
    assert SCRIPT not in response.text
    assert stored_rows() == before


@pytest.mark.parametrize(
    "query_string", ["q=%ED%A0%80", "q=%FF%FE", "q=%00%00", "q=" + "%F0%9F%98" * 100]
)
def test_undecodable_search_queries_are_harmless(client, query_string):
    response = client.get(f"/vi/search/?{query_string}", HTTP_HOST=LIGHT)

    assert response.status_code == 200


def test_a_ten_thousand_character_search_is_refused(client):
    response = client.get("/vi/search/", {"q": "a" * 10_000}, HTTP_HOST=LIGHT)

    assert response.status_code == 400


# The contact form


def post_contact(client, data, hostname=LIGHT, language="vi", **extra):
    page = contact_page(hostname, language)
    return client.post(path_of(page), data, HTTP_HOST=hostname, **extra)


def is_thank_you(response):
    return "pages/contact_page_landing.html" in [template.name for template in response.templates]


def assert_nothing_stored_or_sent(before):
    assert stored_rows() == before
    assert mail.outbox == []


def test_a_post_over_the_size_limit_is_refused(client, settings):
    before = stored_rows()
    body = "name=Lan&email=lan%40example.org&message=" + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = post_contact(client, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert BAD_REQUEST["vi"] in response.text
    assert_nothing_stored_or_sent(before)


def test_a_post_with_too_many_fields_is_refused(client, settings):
    before = stored_rows()
    data = {**VALID, **{f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}}

    response = post_contact(client, data)

    assert response.status_code == 400
    assert_nothing_stored_or_sent(before)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", '{"name": "Lan", "email": "lan@example.org", "message": "hi"}'),
        ("text/plain", "name=Lan&email=lan%40example.org&message=hi"),
        ("multipart/form-data", "name=Lan"),  # no boundary
        ("multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data\r\n\r\n"),
        ("multipart/form-data; boundary=xyz", '--xyz\r\nContent-Disposition: form-data; name="n'),
        ("multipart/form-data; boundary=" + "x" * 100, "--" + "x" * 100 + "--"),
        ("application/x-www-form-urlencoded", "%%%&&&===\x00"),
    ],
    ids=[
        "json",
        "text",
        "multipart without boundary",
        "multipart without name",
        "truncated multipart",
        "empty multipart",
        "garbage",
    ],
)
def test_malformed_posts_get_a_form_error_or_400(client, content_type, body):
    before = stored_rows()

    response = post_contact(client, body, content_type=content_type)

    assert response.status_code in {200, 400}
    assert not is_thank_you(response)
    assert_nothing_stored_or_sent(before)


def test_fields_sent_twice_store_one_value(client):
    before = FormSubmission.objects.count()
    body = "name=A&name=B&email=a%40example.org&email=b%40example.org&message=one&message=two"

    response = post_contact(client, body, content_type="application/x-www-form-urlencoded")

    assert is_thank_you(response)
    assert FormSubmission.objects.count() == before + 1
    data = FormSubmission.objects.latest("pk").form_data
    assert data == {"name": "B", "email": "b@example.org", "message": "two"}


def test_fields_sent_as_arrays_are_not_the_fields(client):
    before = stored_rows()

    response = post_contact(
        client, {"name[]": "Lan", "email[]": "lan@example.org", "message[]": "hi"}
    )

    assert response.status_code == 200
    assert not is_thank_you(response)
    assert_nothing_stored_or_sent(before)


@pytest.mark.parametrize(
    "data",
    [
        {**VALID, "email": "lan@example.org" + INJECTED},
        {**VALID, "email": "lan@example.org\nBcc: victim@example.org"},
        {**VALID, "email": "lan@example.org, victim@example.org"},
        {**VALID, "email": '"Lan\r\nBcc: victim@example.org" <lan@example.org>'},
        {**VALID, "name": "x" * 10_000},
        {**VALID, "message": "x" * 10_000},
        {**VALID, "name": "nul\x00byte"},
        {**VALID, "email": "lan\x00@example.org"},
        {**VALID, "message": "\x00"},
        {**VALID, HONEYPOT_FIELD: "https://spam.example"},
    ],
    ids=[
        "CRLF email",
        "LF email",
        "two emails",
        "display name",
        "long name",
        "long message",
        "NUL name",
        "NUL email",
        "NUL message",
        "honeypot",
    ],
)
def test_hostile_fields_get_a_form_error_and_store_nothing(client, data):
    before = stored_rows()

    response = post_contact(client, data)

    assert response.status_code == 200
    assert not is_thank_you(response)
    assert 'role="alert"' in response.text or "form-field--error" in response.text
    assert_nothing_stored_or_sent(before)


def test_line_breaks_in_the_name_stay_in_the_mail_body(client):
    response = post_contact(client, {**VALID, "name": "Lan" + INJECTED})

    assert is_thank_you(response)
    [message] = mail.outbox
    assert_safe_headers(message)
    assert "Bcc: victim@example.org" in message.body  # as text the team reads, not a header


def test_a_subject_with_a_line_break_is_sent_on_one_line(client):
    page = contact_page()
    page.subject = "Lời nhắn mới" + INJECTED
    page.save(update_fields=["subject"])

    response = post_contact(client, VALID)

    assert is_thank_you(response)
    [message] = mail.outbox
    assert_safe_headers(message)
    assert message.subject.startswith("Lời nhắn mới")


def assert_safe_headers(message):
    """Exactly the headers a contact notification has, each on its own line, no injected one."""
    assert message.bcc == []
    assert message.cc == []
    assert message.recipients() == message.to
    assert len(message.reply_to) <= 1
    for address in message.reply_to:
        validate_email(address)
    raw = message.message().as_bytes()
    headers = email.message_from_bytes(raw)
    head = raw.split(b"\n\n", 1)[0].lower()  # the body may quote anything the visitor wrote
    assert {name.lower() for name in headers} <= {
        "content-type",
        "mime-version",
        "content-transfer-encoding",
        "subject",
        "from",
        "to",
        "reply-to",
        "date",
        "message-id",
        "auto-submitted",
    }
    assert b"\nbcc:" not in head
    assert b"\nx-injected" not in head


def test_html_in_fields_is_escaped_in_the_form_the_admin_and_plain_in_the_mail(client):
    data = {"name": SCRIPT, "email": "lan@example.org", "message": f"<b>{SCRIPT}</b>"}

    invalid = post_contact(client, {**data, "email": SCRIPT})
    assert not is_thank_you(invalid)
    assert SCRIPT not in invalid.text
    assert html.escape(SCRIPT) in invalid.text  # shown back to the visitor, escaped

    thanked = post_contact(client, data)
    assert is_thank_you(thanked)
    assert SCRIPT not in thanked.text

    [message] = mail.outbox
    assert message.alternatives == []  # plain text only: nothing in it can run
    assert SCRIPT in message.body

    admin = get_user_model().objects.create_superuser("staff", "staff@example.org", "password")
    client.force_login(admin)
    listing = client.get(f"/admin/forms/submissions/{contact_page().pk}/", HTTP_HOST=LIGHT)
    assert listing.status_code == 200
    assert SCRIPT not in listing.text
    assert "&lt;script&gt;alert" in listing.text


def test_posts_from_elsewhere_or_nowhere_are_refused(server):
    before = stored_rows()
    target = path_of(contact_page()).encode()
    body = b"name=Lan&email=lan%40example.org&message=hi"
    form = b"Content-Type: application/x-www-form-urlencoded"
    elsewhere = [
        [],
        [b"Origin: https://evil.example"],
        [b"Origin: null"],
        [b"Referer: https://evil.example/vi/lien-he/"],
        [b"Origin: \xff\xfe"],
    ]

    for headers in elsewhere:
        reply = send(server, target, method=b"POST", headers=[form, *headers], body=body)
        assert reply.status == 403

    assert_nothing_stored_or_sent(before)


@pytest.mark.parametrize("length", [b"5", b"-1", b"abc", b"99999999999999999999999"])
def test_a_post_with_a_lying_content_length_is_answered(server, length):
    before = stored_rows()
    target = path_of(contact_page()).encode()
    headers = [b"Origin: http://light.localhost", b"Content-Length: " + length]

    reply = send(server, target, method=b"POST", headers=headers, body=VALID_BODY)

    assert_handled(reply.status, reply.body)
    assert_nothing_stored_or_sent(before)


@pytest.mark.parametrize("charset", [b"bogus", b"utf-16", b"\xff", b'"utf-8'])
def test_a_post_in_an_odd_charset_is_answered(server, charset):
    before = stored_rows()
    target = path_of(contact_page()).encode()
    headers = [
        b"Origin: http://light.localhost",
        b"Content-Type: application/x-www-form-urlencoded; charset=" + charset,
    ]

    reply = send(server, target, method=b"POST", headers=headers, body=VALID_BODY)

    assert_handled(reply.status, reply.body)
    # An unknown charset is read as UTF-8, so the message may be accepted: once, at most.
    assert FormSubmission.objects.count() - before["FormSubmission"] in {0, 1}


# Signing in


@pytest.mark.parametrize(
    "data",
    [
        {"login": "a" * 10_000 + "@example.org", "password": "x"},
        {"login": "staff@example.org", "password": "x" * 100_000},
        {"login": "staff\x00@example.org", "password": "pass\x00word"},
        {"login": "staff@example.org" + INJECTED, "password": "x"},
        {"login": SCRIPT, "password": SCRIPT},
        {"login": "' OR 1=1 --", "password": "' OR 1=1 --"},
        {"login[]": "staff@example.org", "password[]": "password"},
        {},
    ],
    ids=["long login", "long password", "NUL", "CRLF", "HTML", "SQL", "arrays", "empty"],
)
def test_odd_sign_in_input_gets_a_form_error(client, data):
    get_user_model().objects.create_user("staff", "staff@example.org", "password")

    response = client.post("/vi/accounts/login/", data, HTTP_HOST=LIGHT)

    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session
    assert SCRIPT not in response.text


def test_sign_in_without_a_csrf_token_is_refused(server):
    reply = send(
        server,
        b"/vi/accounts/login/",
        method=b"POST",
        headers=[b"Content-Type: application/x-www-form-urlencoded"],
        body=b"login=staff%40example.org&password=password",
    )

    assert reply.status == 403


# Hypothesis: generated input against the live server


FUZZ = hypothesis_settings(
    max_examples=150,
    deadline=None,
    database=None,  # every run explores afresh; nothing is replayed from earlier runs
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the server and database are meant to be shared
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

PERCENT_GARBAGE = ["%", "%0", "%zz", "%FF", "%00", "%2e%2e", "%2f", "%2F", "%C0%AF", "%E0%A4%A"]
DOTS_AND_SLASHES = ["", ".", "..", "/", "//", "\\", "..%2f", "%2e%2e%2f", "...", ";"]
LANGUAGE_PREFIXES = ["", "/vi", "/en", "/xx", "/vi-VN", "/en-us"]
OTHER_PREFIXES = ["/static", "/media", "/documents", "/admin", "/vi/search", "/en/feed"]
# Any code point, lone surrogates included (sent as the undecodable bytes they encode to).
HOSTILE_CHARACTERS = st.characters(exclude_categories=(), exclude_characters="\r\n")

segment_text = st.text(HOSTILE_CHARACTERS, max_size=20)
segments = st.one_of(
    segment_text.map(encode_path).map(bytes.decode),
    st.sampled_from(PERCENT_GARBAGE + DOTS_AND_SLASHES),
    st.from_regex(r"[a-z0-9\-]{1,12}", fullmatch=True),
)
paths = st.builds(
    lambda prefix, parts, slash: prefix + "/" + "/".join(parts) + slash,
    st.sampled_from(LANGUAGE_PREFIXES + OTHER_PREFIXES),
    st.lists(segments, max_size=8),
    st.sampled_from(["", "/"]),
)

number_text = st.one_of(
    st.integers().map(str),
    st.integers(min_value=10**18).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "0", "-1", "1e9", "abc", "0x10", "\x00", "1 OR 1=1", "１"]),
)
query_values = st.one_of(
    number_text,
    st.text(HOSTILE_CHARACTERS, max_size=60),
    st.sampled_from(HOSTILE_QUERIES),
    st.text(max_size=10).map(lambda text: text * 300),
)
query_keys = st.one_of(
    st.sampled_from(["page", "q", "tag", "year", "kind", "next", "v", "page[]", ""]),
    st.text(HOSTILE_CHARACTERS, max_size=10),
)


def encode_query(pairs):
    return "&".join(
        quote(key.encode("utf-8", "surrogatepass"), safe="")
        + "="
        + quote(value.encode("utf-8", "surrogatepass"), safe="")
        for key, value in pairs
    )


query_strings = st.one_of(
    st.lists(st.tuples(query_keys, query_values), max_size=6).map(encode_query),
    st.lists(st.sampled_from(PERCENT_GARBAGE + ["&", "=", "+", "?", "#"]), max_size=10).map(
        "".join
    ),
)


@pytest.fixture(scope="module")
def page_paths(django_db_setup, django_db_blocker):
    """A live page of each type on each site, in each language, and the other public URLs."""
    with django_db_blocker.unblock():
        found = [
            (hostname, path)
            for hostname in (LIGHT, LIFE)
            for language in ("vi", "en")
            for path in [
                *(path_of(page) for page in pages_of_each_type(hostname, language)),
                *(f"/{language}/{view}/" for view in ("search", "feed", "accounts/login")),
            ]
        ]
    return [*found, *((LIGHT, path) for path in ("/sitemap.xml", "/robots.txt", "/theme.css"))]


@FUZZ
@given(path=paths, hostname=st.sampled_from([LIGHT, LIFE]))
def test_any_path_is_answered_without_a_server_error(server, settings, path, hostname):
    settings.PAGE_CACHE_SECONDS = 60  # as in production: the cache sees every odd path too

    reply = send(server, path.encode(), host=hostname)

    assert_handled(reply.status, reply.body)


@FUZZ
@given(
    raw=st.binary(min_size=1, max_size=60).map(
        lambda data: bytes(byte for byte in data if byte > 0x20 and byte != 0x7F) or b"x"
    ),
    prefix=st.sampled_from(LANGUAGE_PREFIXES),
)
def test_any_bytes_in_the_path_are_answered_without_a_server_error(server, raw, prefix):
    reply = send(server, prefix.encode() + b"/" + raw)

    assert_handled(reply.status, reply.body)


@FUZZ
@given(data=st.data(), query=query_strings)
def test_any_query_string_on_any_page_is_answered(server, page_paths, data, query):
    hostname, path = data.draw(st.sampled_from(page_paths))

    reply = send(server, f"{path}?{query}".encode(), host=hostname)

    assert_handled(reply.status, reply.body)


@FUZZ
@given(
    query=st.one_of(
        st.text(HOSTILE_CHARACTERS, max_size=300),
        st.lists(st.sampled_from(HOSTILE_QUERIES + ["HIV", "LIGHT"]), max_size=6).map(" ".join),
    ),
    language=st.sampled_from(["vi", "en"]),
    hostname=st.sampled_from([LIGHT, LIFE]),
)
def test_any_search_is_answered_and_shown_escaped(server, query, language, hostname):
    encoded = quote(query.encode("utf-8", "surrogatepass"), safe="")

    reply = send(server, f"/{language}/search/?q={encoded}".encode(), host=hostname)

    # The server decodes what it received as Django does: undecodable bytes become U+FFFD.
    received = unquote(encoded, errors="replace")
    if len(received) > REFUSED_QUERY_LENGTH:
        assert reply.status == 400
        return
    assert reply.status == 200, reply.body[:2000]
    shown = clean_query(received)
    if shown:
        assert html.escape(shown) in reply.body


contact_values = st.one_of(
    st.text(HOSTILE_CHARACTERS, max_size=80),
    st.text(st.characters(exclude_categories=()), max_size=40),  # line breaks too
    st.emails(),
    st.sampled_from(
        [SCRIPT, INJECTED, "lan@example.org" + INJECTED, "\x00", "", " ", "x" * 300, "x" * 5_001]
    ),
)
contact_fields = st.sampled_from(["name", "email", "message", HONEYPOT_FIELD, "name[]", "other"])


def multipart(pairs, boundary="hostile-boundary"):
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
        + value.encode("utf-8", "surrogatepass")
        + b"\r\n"
        for key, value in pairs
    ]
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@FUZZ
@given(
    pairs=st.one_of(
        # Mostly well-formed posts, one field changed, so that some pass and are stored.
        st.tuples(
            st.sampled_from(["name", "email", "message"]), contact_values, st.just(VALID)
        ).map(lambda change: [*{**change[2], change[0]: change[1]}.items()]),
        st.lists(st.tuples(contact_fields, contact_values), max_size=6),
    ),
    as_multipart=st.booleans(),
    language=st.sampled_from(["vi", "en"]),
)
def test_any_contact_post_is_stored_exactly_when_the_form_accepts_it(
    server, pairs, as_multipart, language
):
    cache.clear()  # the rate limit would otherwise answer 429 after the fifth accepted post
    page = contact_page(LIGHT, language)
    if as_multipart:
        body, content_type = multipart(pairs)
    else:
        body, content_type = encode_query(pairs).encode(), "application/x-www-form-urlencoded"
    # What Django makes of the body: undecodable bytes become U+FFFD.
    received = QueryDict(mutable=True)
    for key, value in pairs:
        received.appendlist(key, value.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    expected = page.get_form(received, page=page, user=AnonymousUser())
    submissions, mails = FormSubmission.objects.count(), len(mail.outbox)

    reply = send(
        server,
        path_of(page).encode(),
        method=b"POST",
        headers=[f"Content-Type: {content_type}".encode(), b"Origin: http://light.localhost"],
        body=body,
    )

    assert reply.status == 200, reply.body[:2000]
    if expected.is_valid():
        assert FormSubmission.objects.count() == submissions + 1
        assert FormSubmission.objects.latest("pk").form_data == expected.cleaned_data
        [message] = mail.outbox[mails:]
        assert_safe_headers(message)
    else:
        assert FormSubmission.objects.count() == submissions
        assert len(mail.outbox) == mails
    assert SCRIPT not in reply.body
