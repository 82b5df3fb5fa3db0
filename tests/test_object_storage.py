"""Media in S3-compatible object storage (MEDIA_STORAGE_URL): uploads land in the bucket, the
app serves public images from it, private documents stay private objects behind the app's
permission checks, and backups hold the bucket. Against moto's standalone S3 server
(tests/object_storage.py), through django-storages and boto3 as in production."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from config.env import media_storage
from organisations.models import Organisation
from tests.helpers import outside_the_test_transaction
from tests.object_storage import files_named_by
from tests.test_backup import back_up_restore_and_compare
from tests.test_organisations import signed_in
from tests.test_uploads import png

pytestmark = pytest.mark.django_db
CONSENT_FORM = b"%PDF-1.4 signed consent of a named person"


@pytest.fixture
def bucket(settings, object_store):
    name = object_store.new_bucket()
    settings.STORAGES = object_store.storages(settings, name)
    return name


def files_on_disk():
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def test_the_storage_url_and_the_variables_name_the_same_bucket():
    from_url = media_storage("s3://key:secret@minio:9000/media?secure=false&region=eu")
    from_variables = media_storage(
        bucket="media",
        endpoint_url="http://minio:9000",
        region="eu",
        access_key_id="key",
        secret_access_key="secret",
    )
    assert from_url == from_variables
    assert from_url["BACKEND"] == "config.object_storage.ObjectMediaStorage"
    assert media_storage() == {"BACKEND": "config.storage.MediaStorage"}


def test_an_editors_upload_goes_to_the_bucket_and_the_app_serves_it(
    client, staff, light, bucket, object_store
):
    on_disk = files_on_disk()
    signed_in(client, staff(light, "editors"))
    content = png(640, 480)
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Ảnh trong kho",
            "file": SimpleUploadedFile("anh-kho.png", content, "image/png"),
            "collection": Organisation.objects.get(site=light).media.pk,
        },
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Ảnh trong kho")
    assert object_store.read(bucket, image.file.name) == content
    rendition = image.get_rendition("fill-320x240|format-webp")
    assert rendition.file.name in object_store.names(bucket)
    assert files_on_disk() == on_disk  # nothing written to this server's disk

    client.logout()
    served = client.get(rendition.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/webp"
    assert "immutable" in served["Cache-Control"]
    assert b"".join(served.streaming_content) == object_store.read(bucket, rendition.file.name)
    assert rendition.url == f"{settings.MEDIA_URL}{rendition.file.name}"


@pytest.mark.parametrize(
    "path",
    [
        "images/no-such-rendition.webp",
        "images/../documents/x.png",
        "images/%2e%2e/documents/x.png",
        "documents/anything.pdf",
        "images/",
    ],
)
def test_what_is_not_a_public_image_in_the_bucket_is_a_404(client, bucket, path):
    assert client.get(f"{settings.MEDIA_URL}{path}").status_code == 404


def test_a_private_document_is_a_private_object_served_only_to_safeguarding(
    client, staff, light, bucket, object_store
):
    organisation = Organisation.objects.get(site=light)
    document = get_document_model().objects.create(
        title="Giấy đồng ý",
        collection=organisation.private_documents,
        file=ContentFile(CONSENT_FORM, name="giay-dong-y.pdf"),
    )
    assert object_store.read(bucket, document.file.name) == CONSENT_FORM
    grants = object_store.client.get_object_acl(Bucket=bucket, Key=document.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers, no anyone

    assert CONSENT_FORM not in client.get(document.url).content
    assert client.get(f"{settings.MEDIA_URL}{document.file.name}").status_code == 404
    signed_in(client, staff(light, "editors"))
    assert CONSENT_FORM not in client.get(document.url).content
    signed_in(client, staff(light, "safeguarding"))
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONSENT_FORM


def test_a_backup_holds_the_bucket_and_a_restore_fills_another(tmp_path, settings, object_store):
    source, target = object_store.new_bucket(), object_store.new_bucket()
    # Read on a connection of its own: a read in the test's transaction would lock the
    # tables that the backup's round trip writes (SQLite).
    images = get_image_model()
    uploads = outside_the_test_transaction(
        files_named_by, images, images.get_rendition_model(), get_document_model()
    )
    object_store.upload(source, uploads, settings.MEDIA_ROOT)
    settings.STORAGES = object_store.storages(settings, source)
    stored = set(object_store.names(source))
    outside_the_test_transaction(
        back_up_restore_and_compare, tmp_path, MEDIA_STORAGE_URL=object_store.url(target)
    )
    # Every object is back, and the document the round trip added (and then deleted).
    assert stored < set(object_store.names(target))
