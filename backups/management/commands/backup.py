"""manage.py backup: one dated archive of the database and the uploaded files.

BACKUP_DIR/light-life-YYYYmmdd-HHMMSS.tar.gz (var/backups unless set) holds:

    manifest.json     when, which database engine, each app's last migration, row counts
    database.dump     PostgreSQL: pg_dump --format=custom (one consistent snapshot)
    database.sqlite3  SQLite: a consistent copy through SQLite's backup API
    media/            every uploaded file: images, renditions, documents, read through the
                      storage in use (MEDIA_ROOT, or the bucket when object storage is set)

`manage.py restore ARCHIVE` puts it back into an empty database (restore.py).
"""

import contextlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.text import slugify
from wagtail.contrib.forms.models import FormSubmission
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtail_localize.models import Translation

MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def counts():
    """What the archive holds, for the people who will one day need it."""
    models = {
        "pages": Page,
        "revisions": Revision,
        "translations": Translation,
        "images": get_image_model(),
        "documents": get_document_model(),
        "form_submissions": FormSubmission,
        "users": get_user_model(),
    }
    return {name: model.objects.count() for name, model in models.items()}


def last_migrations(connection):
    """Each app's last applied migration: which version of the code wrote the archive."""
    last = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        last[app] = name
    return last


def libpq_environment(settings_dict):
    """PG* variables for pg_dump and pg_restore: the password never appears on a command line."""
    _args, secrets = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    environment = {**os.environ, **(secrets or {})}
    for variable, key in [("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")]:
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    environment["PGDATABASE"] = settings_dict["NAME"]
    if timeout := settings_dict.get("OPTIONS", {}).get("connect_timeout"):
        environment["PGCONNECT_TIMEOUT"] = str(timeout)
    return environment


def run_postgresql_tool(program, *arguments, settings_dict):
    executable = shutil.which(program)
    if executable is None:
        raise CommandError(f"{program} is not installed (apt-get install postgresql-client).")
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [executable, *arguments],
        env=libpq_environment(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise CommandError(f"{program} failed: {result.stderr.strip()}")


def stored_names(storage, directory=""):
    """Every file the storage holds, whether on disk or in a bucket."""
    directories, files = storage.listdir(directory)
    for name in sorted(files):
        yield posixpath.join(directory, name)
    for name in sorted(directories):
        yield from stored_names(storage, posixpath.join(directory, name))


def add_media(tar, storage):
    for name in stored_names(storage):
        with storage.open(name) as stored:
            info = tarfile.TarInfo(f"{MEDIA}/{name}")
            info.size = storage.size(name)
            info.mtime = int(storage.get_modified_time(name).timestamp())
            info.mode = 0o644
            tar.addfile(info, stored)


def copy_sqlite(connection, target):
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)


class Command(BaseCommand):
    help = "Write one dated archive of the database and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            help="Where to write the archive (default: BACKUP_DIR, else var/backups).",
        )

    def handle(self, *args, output_dir=None, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor not in DUMPS:
            raise CommandError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
        directory = Path(output_dir or settings.BACKUP_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        created = timezone.localtime()
        name = f"{slugify(settings.WAGTAIL_SITE_NAME)}-{created:%Y%m%d-%H%M%S}"
        archive = directory / f"{name}.tar.gz"
        if archive.exists():
            raise CommandError(f"{archive} already exists; try again in a second.")

        # Built beside its destination and renamed at the end, so an archive that is there is
        # complete; private, as it holds everyone's personal data and password hashes.
        with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as scratch:
            scratch = Path(scratch)
            dump = scratch / DUMPS[connection.vendor]
            try:
                if connection.vendor == "postgresql":
                    run_postgresql_tool(
                        "pg_dump",
                        "--format=custom",
                        f"--file={dump}",
                        settings_dict=connection.settings_dict,
                    )
                else:
                    copy_sqlite(connection, dump)
                manifest = {
                    "created_at": created.isoformat(),
                    "engine": connection.vendor,
                    "migrations": last_migrations(connection),
                    "counts": counts(),
                }
            except (DatabaseError, sqlite3.Error) as error:
                raise CommandError(f"Could not read the database: {error}") from error
            (scratch / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")

            partial = scratch / archive.name
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(scratch / MANIFEST, arcname=MANIFEST)
                tar.add(dump, arcname=dump.name)
                media = storages["default"]
                if not isinstance(media, FileSystemStorage) or Path(media.location).is_dir():
                    add_media(tar, media)
            partial.chmod(0o600)
            partial.replace(archive)
        self.stdout.write(str(archive))
