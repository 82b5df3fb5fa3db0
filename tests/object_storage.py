"""An S3-compatible server for the tests: moto's standalone server, one per test process.

The app talks to it exactly as to a real bucket (config/object_storage.py through
django-storages and boto3); nothing is mocked inside the process.
"""

import contextlib
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from config.env import media_storage
from tests.bench.common import free_port

KEY, SECRET = "test-key", "test-secret"  # moto accepts any


class ObjectStore:
    def __init__(self, port):
        self.endpoint = f"http://127.0.0.1:{port}"
        self.client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
            region_name="us-east-1",
            config=Config(retries={"max_attempts": 1}),
        )

    def new_bucket(self):
        name = f"media-{uuid.uuid4().hex[:12]}"
        self.client.create_bucket(Bucket=name)
        return name

    def url(self, bucket):
        """MEDIA_STORAGE_URL for a bucket: how production is configured."""
        host = self.endpoint.removeprefix("http://")
        return f"s3://{KEY}:{SECRET}@{host}/{bucket}?secure=false&region=us-east-1"

    def storages(self, settings, bucket):
        return {**settings.STORAGES, "default": media_storage(self.url(bucket))}

    def names(self, bucket):
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, bucket, name):
        return self.client.get_object(Bucket=bucket, Key=name)["Body"].read()

    def upload(self, bucket, names, root):
        """Copy the files named below root into the bucket, under the same names."""
        for name in names:
            self.client.upload_file(str(Path(root) / name), bucket, name)


def files_named_by(*models):
    """The names the database gives the models' files: what a bucket must hold for them.

    Not the whole MEDIA_ROOT, which also holds what this process's earlier tests drew and
    rolled back (thousands of renditions after the scale tests).
    """
    return {name for model in models for name in model.objects.values_list("file", flat=True)}


@pytest.fixture(scope="session")
def object_store(tmp_path_factory):
    executable = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    assert executable, "moto_server is missing: make install"
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    server = subprocess.Popen(  # noqa: S603 - a fixed command
        [executable, "-H", "127.0.0.1", "-p", str(port)],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    store = ObjectStore(port)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                store.client.list_buckets()
                break
            except Exception:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.2)
        yield store
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=10)
