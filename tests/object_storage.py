"""An S3-protocol server (moto's standalone server) as a real process on 127.0.0.1, and the portal's media
storage pointed at a fresh bucket on it, as MEDIA_S3_* in portal/settings.py would configure it."""

import os
import socket
import subprocess
import sys
import time
import uuid

import boto3
import pytest

from portal.media_storage import s3_media_storage

CREDENTIALS = {"aws_access_key_id": "portal-test", "aws_secret_access_key": "portal-test-secret"}


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "moto server did not start"
            time.sleep(0.2)
    yield endpoint
    server.terminate()
    server.wait(timeout=30)


def s3_client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)


@pytest.fixture
def object_storage(settings, s3_endpoint):
    """MEDIA goes to a new private bucket; returns (boto3 client, bucket name) to look inside it."""
    bucket = f"portal-{uuid.uuid4().hex[:12]}"
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket=bucket)
    environment = {
        "MEDIA_S3_BUCKET": bucket,
        "MEDIA_S3_ENDPOINT_URL": s3_endpoint,
        "MEDIA_S3_REGION": "us-east-1",
        "MEDIA_S3_ACCESS_KEY": CREDENTIALS["aws_access_key_id"],
        "MEDIA_S3_SECRET_KEY": CREDENTIALS["aws_secret_access_key"],
    }
    settings.STORAGES = {**settings.STORAGES, "default": s3_media_storage(environment)}
    return client, bucket


def stored_names(client, bucket):
    listing = client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))
