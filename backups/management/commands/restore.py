"""manage.py restore ARCHIVE: put a `manage.py backup` archive back, into an empty database.

"Empty" means no tables at all: a new PostgreSQL database (createdb) or a new SQLite path, before
`migrate` has run, because the dump brings its own schema and migration history. Restoring over
existing data would mix two sites' worth of ids, so it is refused. Run `manage.py migrate`
afterwards if the code is newer than the backup.
"""

import json
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from .backup import DUMPS, MANIFEST, MEDIA, counts, run_postgresql_tool

UNREADABLE = (OSError, EOFError, tarfile.TarError, zlib.error, KeyError, TypeError, ValueError)


def into_media_root(member, path):
    """Extract only media/..., without that prefix, refusing anything that leaves MEDIA_ROOT."""
    if not member.name.startswith(f"{MEDIA}/"):
        return None
    return tarfile.data_filter(member.replace(name=member.name.removeprefix(f"{MEDIA}/")), path)


def into_storage(tar, storage):
    """Put media/... back into object storage under the same names, which the database uses."""
    for member in tar.getmembers():
        if not member.isfile() or not member.name.startswith(f"{MEDIA}/"):
            continue
        name = member.name.removeprefix(f"{MEDIA}/")
        if ".." in name.split("/") or name.startswith("/"):
            raise CommandError(f"The archive holds a file outside media: {member.name}")
        if storage.exists(name):
            storage.delete(name)
        if storage.save(name, tar.extractfile(member)) != name:
            raise CommandError(f"Could not store {name} under its own name.")


def read_manifest(archive):
    """The archive's manifest, once the whole archive has been read and found complete."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            names = tar.getnames()  # reads to the end: a truncated or corrupt archive fails here
            manifest = json.load(tar.extractfile(MANIFEST))
            if DUMPS.get(manifest["engine"]) not in names:
                raise ValueError("it holds no database")
    except UNREADABLE as error:
        raise CommandError(f"{archive} is not a readable backup archive: {error}") from error
    return manifest


class Command(BaseCommand):
    help = "Restore a `manage.py backup` archive into an empty database and the media storage."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="a .tar.gz written by manage.py backup")

    def handle(self, *args, archive, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        manifest = read_manifest(archive)
        engine = manifest["engine"]
        if engine != connection.vendor:
            raise CommandError(
                f"{archive} holds a {engine} database; this site uses {connection.vendor}."
            )
        try:
            tables = connection.introspection.table_names()
        except DatabaseError as error:
            raise CommandError(f"Cannot reach the database: {error}") from error
        if tables:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} is not empty "
                f"({len(tables)} tables). Restore into a new database, before migrate."
            )

        with (
            tempfile.TemporaryDirectory(prefix="restore-") as scratch,
            tarfile.open(archive) as tar,
        ):
            tar.extract(DUMPS[engine], scratch, filter="data")
            dump = Path(scratch) / DUMPS[engine]
            if engine == "postgresql":
                run_postgresql_tool(
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",  # all or nothing: a failure leaves it empty
                    f"--dbname={connection.settings_dict['NAME']}",
                    str(dump),
                    settings_dict=connection.settings_dict,
                )
            else:
                restore_sqlite(connection, dump)
            if isinstance(storages["default"], FileSystemStorage):
                # into_media_root applies tarfile's "data" filter to every member.
                tar.extractall(settings.MEDIA_ROOT, filter=into_media_root)  # noqa: S202
            else:
                into_storage(tar, storages["default"])

        restored = ", ".join(
            f"{count} {name.replace('_', ' ')}" for name, count in counts().items()
        )
        self.stdout.write(f"Restored {archive} (made {manifest['created_at']}): {restored}.")


def restore_sqlite(connection, dump):
    if connection.is_in_memory_db():
        raise CommandError("Cannot restore into an in-memory SQLite database.")
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    partial = target.with_name(f"{target.name}.restoring")
    shutil.copyfile(dump, partial)
    partial.replace(target)
