"""Backups: `manage.py backup`, then `manage.py restore` into a new, empty database, loses nothing.

The round trip runs on whichever database the suite runs on (CI: SQLite, then PostgreSQL). The
restore runs as `manage.py` in a fresh process, pointed at the new database and an empty
MEDIA_ROOT through the environment, as an administrator would run it.
"""

import hashlib
import io
import json
import os
import re
import stat
import subprocess
import sys
import tarfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from wagtail.contrib.forms.models import FormSubmission
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site
from wagtail_localize.models import String, Translation

from organisations.models import Organisation
from pages.models import ContactPage
from tests.conftest import LIGHT
from tests.helpers import outside_the_test_transaction

PROJECT = Path(__file__).resolve().parent.parent
SNAPSHOT = "import json; from tests.test_backup import snapshot; print(json.dumps(snapshot()))"


def digest(file):
    with file.open("rb") as content:
        return hashlib.sha256(content.read()).hexdigest()


def snapshot():
    """What a restore must bring back, read through the ORM the same way in both databases.

    Stored files are compared by content, so a missing or damaged upload shows too.
    """
    images = get_image_model()
    content = {
        "pages": Page.objects.order_by("id").values_list(
            "id", "title", "locale__language_code", "translation_key", "url_path", "live"
        ),
        "revisions": Revision.objects.order_by("id").values_list(
            "id", "content_type__model", "object_id", "created_at", "content"
        ),
        "translations": Translation.objects.order_by("id").values_list(
            "uuid", "source__object_id", "source__locale__language_code", "target_locale"
        ),
        "images": [
            (image.id, image.title, image.file.name, digest(image.file))
            for image in images.objects.order_by("id")
        ],
        "renditions": [
            (rendition.image_id, rendition.filter_spec, digest(rendition.file))
            for rendition in images.get_rendition_model().objects.order_by("id")
        ],
        "documents": [
            (document.id, document.title, document.file.name, digest(document.file))
            for document in get_document_model().objects.order_by("id")
        ],
        "form_submissions": FormSubmission.objects.order_by("id").values_list(
            "id", "page_id", "form_data", "submit_time"
        ),
        "users": get_user_model()
        .objects.order_by("id")
        .values_list("id", "email", "password", "is_superuser", "groups__name"),
    }
    return json.loads(
        json.dumps({key: list(rows) for key, rows in content.items()}, cls=DjangoJSONEncoder)
    )


def manage(*arguments, database_url, media_root, **variables):
    """manage.py in a new process, on another database and MEDIA_ROOT (or MEDIA_STORAGE_URL)."""
    environment = {
        **os.environ,
        **variables,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "VAR_DIR": str(media_root.parent / "var"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@contextmanager
def new_empty_database(directory):
    """The URL of a database with no tables, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{directory / 'restored.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored"
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quoted} TEMPLATE template0")
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host = f"{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}"
    try:
        yield f"postgres://{user}{password}@{host}/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


@contextmanager
def saved_content():
    """A user, a contact message and a document, committed (the demo has the translations).

    The demo content already has pages in both languages, their revisions, images and
    renditions. Everything added here is deleted afterwards: the other tests share this database.
    """
    strings_before = set(String.objects.values_list("pk", flat=True))
    user = get_user_model().objects.create_user(
        "backup-editor", "editor@example.org", "a long passphrase 2025"
    )
    user.groups.add(Organisation.objects.get(site__hostname=LIGHT).editors)
    contact = ContactPage.objects.descendant_of(Site.objects.get(hostname=LIGHT).root_page).get()
    submission = FormSubmission.objects.create(
        page=contact,
        form_data={"name": "Nguyễn Thị Lan", "email": "lan@example.org", "message": "Xin chào"},
    )
    document = get_document_model().objects.create(
        title="Báo cáo năm 2024", file=ContentFile(b"Annual report\n", name="bao-cao.txt")
    )
    try:
        yield
    finally:
        String.objects.exclude(pk__in=strings_before).delete()
        document.delete()
        submission.delete()
        user.delete()


def back_up_restore_and_compare(directory, **variables):
    # pg_dump reads through a connection of its own: what it backs up must be committed.
    with saved_content():
        output = io.StringIO()
        call_command("backup", output_dir=directory / "backups", stdout=output)
        expected = snapshot()

    archive = Path(output.getvalue().strip())
    assert archive.parent == directory / "backups"
    assert re.fullmatch(r"light-life-\d{8}-\d{6}\.tar\.gz", archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # personal data, password hashes
    assert [path.name for path in archive.parent.iterdir()] == [archive.name]
    assert all(expected.values()), "every kind of content is there to compare"
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["engine"] == connection.vendor
    assert manifest["migrations"]["wagtailcore"].startswith("0")
    assert manifest["counts"] == {
        "pages": len(expected["pages"]),
        "revisions": len(expected["revisions"]),
        "translations": len(expected["translations"]),
        "images": len(expected["images"]),
        "documents": len(expected["documents"]),
        "form_submissions": len(expected["form_submissions"]),
        "users": len({row[0] for row in expected["users"]}),
    }

    media = directory / "restored-media"
    with new_empty_database(directory) as database_url:
        restore = manage(
            "restore", str(archive), database_url=database_url, media_root=media, **variables
        )
        assert restore.returncode == 0, restore.stderr
        assert f"{manifest['counts']['pages']} pages" in restore.stdout

        restored = manage(
            "shell", "-c", SNAPSHOT, database_url=database_url, media_root=media, **variables
        )
        assert restored.returncode == 0, restored.stderr
        assert json.loads(restored.stdout.splitlines()[-1]) == expected

        again = manage("restore", str(archive), database_url=database_url, media_root=media)
        assert again.returncode != 0
        assert "is not empty" in again.stderr


@pytest.mark.django_db
def test_a_backup_restored_into_a_new_database_loses_nothing(tmp_path):
    outside_the_test_transaction(back_up_restore_and_compare, tmp_path)


def test_an_unreachable_database_fails_clearly_and_leaves_no_archive(tmp_path):
    if connection.vendor == "sqlite":
        unreachable = f"sqlite:///{tmp_path / 'no-such-directory' / 'db.sqlite3'}"
    else:
        unreachable = "postgres://postgres@127.0.0.1:9/nothing"  # nothing listens on port 9
    backups = tmp_path / "backups"
    archive = archive_with(
        tmp_path / "backup.tar.gz",
        {"manifest.json": manifest(connection.vendor), DUMP[connection.vendor]: b"x"},
    )

    backup = manage(
        "backup", f"--output-dir={backups}", database_url=unreachable, media_root=tmp_path / "m"
    )
    restore = manage("restore", str(archive), database_url=unreachable, media_root=tmp_path / "m")

    for result in (backup, restore):
        assert result.returncode != 0
        assert "CommandError" in result.stderr
        assert "Traceback" not in result.stderr
    assert list(backups.iterdir()) == []


def archive_with(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def manifest(engine):
    return json.dumps({"engine": engine, "created_at": "2025-01-01T00:00:00+07:00"}).encode()


DUMP = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def damaged_archives(directory):
    engine = connection.vendor
    whole = archive_with(
        directory / "whole.tar.gz",
        {"manifest.json": manifest(engine), DUMP[engine]: os.urandom(200_000)},
    )
    truncated = directory / "truncated.tar.gz"
    truncated.write_bytes(whole.read_bytes()[:50_000])
    garbage = directory / "garbage.tar.gz"
    garbage.write_bytes(b"not an archive at all\n" * 100)
    return {
        "missing": directory / "missing.tar.gz",
        "garbage": garbage,
        "truncated": truncated,
        "no manifest": archive_with(directory / "a.tar.gz", {DUMP[engine]: b"x"}),
        "bad manifest": archive_with(directory / "b.tar.gz", {"manifest.json": b"{"}),
        "no database": archive_with(directory / "c.tar.gz", {"manifest.json": manifest(engine)}),
    }


@pytest.mark.parametrize(
    "damage", ["missing", "garbage", "truncated", "no manifest", "bad manifest", "no database"]
)
def test_restore_explains_a_missing_or_damaged_archive(tmp_path, damage):
    with pytest.raises(CommandError, match="Cannot read|not a readable backup archive"):
        call_command("restore", str(damaged_archives(tmp_path)[damage]))


def test_restore_refuses_an_archive_of_the_other_database_engine(tmp_path):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    archive = archive_with(
        tmp_path / "other.tar.gz", {"manifest.json": manifest(other), DUMP[other]: b"x"}
    )
    with pytest.raises(CommandError, match=f"holds a {other} database"):
        call_command("restore", str(archive))


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    engine = connection.vendor
    archive = archive_with(
        tmp_path / "backup.tar.gz", {"manifest.json": manifest(engine), DUMP[engine]: b"x"}
    )
    pages = Page.objects.count()

    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(archive))

    assert Page.objects.count() == pages
