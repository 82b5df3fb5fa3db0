"""Uploads through the real Wagtail admin views: what is refused is refused with a form error,
and nothing of it is stored; what an NGO publishes goes through."""

import io
import math
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, UploadedFile

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png(width, height, mode="RGB"):
    buffer = io.BytesIO()
    PILImage.new(mode, (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def png_declaring(width, height):
    """A few hundred bytes whose header claims an image of width x height pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def noisy_png_larger_than(size):
    """A real PNG that does not compress below `size` bytes."""
    width = 2048
    height = math.ceil(size / (width * 3)) + 16
    noise = PILImage.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG", compress_level=0)
    assert buffer.tell() > size
    return buffer.getvalue()


def docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def editor(admin_client):
    return admin_client


def stored_files():
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


@pytest.fixture
def nothing_stored():
    """Whatever the test uploads, no image, document or file may be left behind."""
    before = (Image.objects.count(), Document.objects.count(), UploadedFile.objects.count())
    files = stored_files()
    yield
    assert (Image.objects.count(), Document.objects.count(), UploadedFile.objects.count()) == before
    assert stored_files() == files


def upload_single(client, kind, name, content):
    """The one-at-a-time form (/admin/images/add/, /admin/documents/add/): the errors it shows."""
    response = client.post(
        f"/admin/{kind}/add/",
        {
            "title": name,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200  # the form again, not a redirect to the listing
    assert 'class="error-message"' in response.content.decode()
    # Wagtail's own extension check for documents gives its message but no code.
    return [
        error.code or error.message for error in response.context["form"].errors.as_data()["file"]
    ]


def upload_multiple(client, kind, name, content):
    """The drag-and-drop page (/admin/*/multiple/add/): its JSON answer."""
    response = client.post(
        f"/admin/{kind}/multiple/add/",
        {
            "files[]": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    return response.json()


IMAGE_REFUSALS = {
    "SVG": ("logo.svg", lambda: SVG, "invalid_image_extension"),
    "SVG disguised as PNG": ("logo.png", lambda: SVG, "invalid_image_known_format"),
    # Willow takes any markup for SVG, which does not match the extension either.
    "HTML disguised as JPEG": ("photo.jpg", lambda: HTML, "invalid_image_known_format"),
    "program disguised as JPEG": ("photo.jpg", lambda: EXE, "invalid_image"),
    "too many pixels (real)": (
        "bomb.png",
        lambda: png(*[math.isqrt(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS) + 100] * 2, mode="1"),
        "file_too_many_pixels",
    ),
    "too many pixels (declared)": (
        "bomb.png",
        lambda: png_declaring(100_000, 100_000),
        "file_too_many_pixels",
    ),
    "too large": (
        "large.png",
        lambda: noisy_png_larger_than(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE),
        "file_too_large",
    ),
}


@pytest.mark.parametrize("case", IMAGE_REFUSALS)
def test_image_upload_form_refuses(editor, nothing_stored, case):
    name, content, code = IMAGE_REFUSALS[case]

    assert upload_single(editor, "images", name, content()) == [code]


@pytest.mark.parametrize("case", IMAGE_REFUSALS)
def test_multiple_image_upload_refuses(editor, nothing_stored, case):
    name, content, _code = IMAGE_REFUSALS[case]
    answer = upload_multiple(editor, "images", name, content())

    assert answer["success"] is False
    assert answer["error_message"]


# Django's message, which the admin shows in the editor's language (Vietnamese by default).
NOT_ALLOWED = (
    "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."
)


def not_allowed(extension):
    allowed = ", ".join(settings.WAGTAILDOCS_EXTENSIONS)
    with translation.override("vi"):
        message = translation.gettext(NOT_ALLOWED)
    return message % {"extension": extension, "allowed_extensions": allowed}


DOCUMENT_REFUSALS = {
    "program": ("setup.exe", lambda: EXE, not_allowed("exe")),
    "web page": ("report.html", lambda: HTML, not_allowed("html")),
    "SVG": ("chart.svg", lambda: SVG, not_allowed("svg")),
    "program disguised as PDF": ("report.pdf", lambda: EXE, "content_mismatch"),
    "web page disguised as Word": ("report.docx", lambda: HTML, "content_mismatch"),
    "too large": (
        "report.pdf",
        lambda: PDF + bytes(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE),
        "file_too_large",
    ),
}


@pytest.mark.parametrize("case", DOCUMENT_REFUSALS)
def test_document_upload_form_refuses(editor, nothing_stored, case):
    name, content, code = DOCUMENT_REFUSALS[case]

    assert upload_single(editor, "documents", name, content()) == [code]


@pytest.mark.parametrize("case", DOCUMENT_REFUSALS)
def test_multiple_document_upload_refuses(editor, nothing_stored, case):
    name, content, _code = DOCUMENT_REFUSALS[case]
    answer = upload_multiple(editor, "documents", name, content())

    assert answer["success"] is False
    assert answer["error_message"]


def test_refusals_are_explained_in_the_editors_language(editor, nothing_stored):
    answer = upload_multiple(editor, "documents", "report.pdf", EXE)

    assert answer["error_message"] == "Nội dung của tệp này không khớp với phần mở rộng của nó."


def test_an_ordinary_photo_is_accepted(editor):
    answer = upload_multiple(editor, "images", "mua-he.png", png(1200, 800))

    assert answer["success"] is True
    image = Image.objects.get(pk=answer["image_id"])
    assert (image.width, image.height) == (1200, 800)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", PDF),
        ("ke-hoach.docx", docx()),
        ("so-lieu.csv", "Năm,Số người\n2024,120\n".encode()),
    ],
)
def test_ordinary_documents_are_accepted(editor, name, content):
    answer = upload_multiple(editor, "documents", name, content)

    assert answer["success"] is True
    document = Document.objects.get(pk=answer["doc_id"])
    assert document.file.read() == content


def test_replacing_a_document_checks_the_new_file(editor, nothing_stored):
    document = Document.objects.create(title="Báo cáo", file=SimpleUploadedFile("bao-cao.pdf", PDF))
    response = editor.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": "Báo cáo",
            "file": SimpleUploadedFile("bao-cao.pdf", EXE),
            "collection": document.collection_id,
        },
    )
    document.file.delete(save=False)  # the fixture's own file, so the media directory is as before
    document.delete()

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["file"][0].code == "content_mismatch"


def test_upload_limits_come_from_the_environment():
    from tests.test_foundation import run_manage

    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.WAGTAILIMAGES_MAX_UPLOAD_SIZE,"
        " s.WAGTAILDOCS_MAX_UPLOAD_SIZE, s.WAGTAILIMAGES_MAX_IMAGE_PIXELS)",
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "IMAGE_MAX_UPLOAD_MB": "4",
            "DOCUMENT_MAX_UPLOAD_MB": "60",
            "IMAGE_MAX_MEGAPIXELS": "24",
        },
    )

    assert result.stdout.split() == [str(4 * 1024 * 1024), str(60 * 1024 * 1024), "24000000"]
