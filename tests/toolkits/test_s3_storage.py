"""Toolkit files on an S3-compatible bucket: a real S3 server (moto's server mode) started
on the loopback by these tests. Upload, versions, download (streamed or presigned),
counting, validation failures, deletion, the health check, the export and the command
that moves existing files from the folder to the bucket."""

import io
import logging
import urllib.request
from datetime import timedelta

import boto3
import pytest
from botocore.response import StreamingBody
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer

from community.accounts.services import account_delete, personal_data_export
from innolab import storage
from tests import factories
from toolkits import services
from toolkits.models import DailyDownloads, ToolkitFile

pytestmark = pytest.mark.django_db

BUCKET = "innolab-test-files"
KEY, SECRET = "test-access-key", "test-secret-key"


@pytest.fixture(scope="module")
def s3_server():
    """An S3 server on 127.0.0.1 for this module, with a versioned private bucket. moto
    is pinned in requirements-dev.txt: if it is missing or cannot start, these tests fail
    rather than skip."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the S3 server's request log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id=KEY, aws_secret_access_key=SECRET,
    )  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    yield endpoint, client
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    """Settings as STORAGE_S3_* would make them, pointing at the test server; MEDIA_ROOT an
    empty folder that must stay empty. Returns the boto3 client."""
    endpoint, client = s3_server
    for listed in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=listed["Key"])
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGE_S3_BUCKET = BUCKET
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET, "endpoint_url": endpoint, "region_name": "us-east-1",
                "access_key": KEY, "secret_key": SECRET, "addressing_style": "path",
                "signature_version": "s3v4", "default_acl": "private",
                "querystring_auth": True, "file_overwrite": False,
            },
        },
    }  # fmt: skip
    return client


def keys(client):
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def object_bytes(client, key):
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def pdf(text="Hello"):
    return factories.pdf_upload(f"{text}.pdf", text=text)


def test_lab_staff_upload_through_the_site_lands_in_the_bucket_only(bucket, staff_client, settings):
    toolkit = factories.toolkit(slug="opm")
    upload = pdf("Open policy")
    response = staff_client.post(
        reverse("admin:toolkits_toolkit_upload", args=[toolkit.pk]),
        {"version_label": "1.0", "upload": upload},
    )
    assert response.status_code == 302
    record = ToolkitFile.objects.get()
    assert keys(bucket) == [record.file.name] and record.file.name.startswith("toolkits/opm/")
    upload.seek(0)
    assert object_bytes(bucket, record.file.name) == upload.read()
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.pdf"))
    acl = bucket.get_object_acl(Bucket=BUCKET, Key=record.file.name)
    assert not [g for g in acl["Grants"] if "AllUsers" in str(g.get("Grantee", {}))]


def test_versions_are_separate_objects_and_download_streams_the_same_bytes_counted(bucket, client):
    toolkit = factories.toolkit(slug="kit")
    first = services.toolkit_file_add(
        toolkit=toolkit, uploaded=pdf("One"), version_label="1", by=None
    )
    second = services.toolkit_file_add(
        toolkit=toolkit, uploaded=pdf("Two"), version_label="2", by=None
    )
    assert len(keys(bucket)) == 2 and first.file.name != second.file.name
    response = client.get(reverse("toolkits:download", args=[toolkit.slug]))
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content)
    assert body == object_bytes(bucket, second.file.name)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(second.size)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="Two.pdf"'
    old = client.get(reverse("toolkits:download-version", args=[toolkit.slug, first.pk]))
    assert b"".join(old.streaming_content) == object_bytes(bucket, first.file.name)
    assert DailyDownloads.objects.get(file=second).count == 1
    assert DailyDownloads.objects.get(file=first).count == 1
    # The object's body is read from the connection as it comes, not downloaded first.
    assert isinstance(storage.open_stream(second.file), StreamingBody)


def test_presigned_downloads_are_counted_before_the_redirect(bucket, client, settings):
    settings.STORAGE_S3_PRESIGNED_SECONDS = 60
    toolkit = factories.toolkit(slug="signed")
    record = services.toolkit_file_add(
        toolkit=toolkit, uploaded=pdf("Signed"), version_label="1", by=None
    )
    response = client.get(reverse("toolkits:download", args=[toolkit.slug]))
    assert response.status_code == 302 and "X-Amz-Signature" in response["Location"]
    assert response["Cache-Control"] == "private, no-store"
    assert DailyDownloads.objects.get(file=record).count == 1
    with urllib.request.urlopen(response["Location"], timeout=5) as fetched:  # noqa: S310
        assert fetched.read() == object_bytes(bucket, record.file.name)
        assert fetched.headers["Content-Disposition"] == 'attachment; filename="Signed.pdf"'


def test_a_refused_or_failed_upload_leaves_no_object(bucket, monkeypatch):
    toolkit = factories.toolkit()
    not_a_pdf = SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(ValidationError):
        services.toolkit_file_add(toolkit=toolkit, uploaded=not_a_pdf, version_label="1", by=None)
    assert keys(bucket) == []

    def refuse(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ToolkitFile, "save", refuse)
    with pytest.raises(RuntimeError):
        services.toolkit_file_add(toolkit=toolkit, uploaded=pdf(), version_label="1", by=None)
    assert keys(bucket) == []


def test_a_deleted_version_leaves_no_object(bucket, django_capture_on_commit_callbacks):
    toolkit = factories.toolkit()
    record = services.toolkit_file_add(toolkit=toolkit, uploaded=pdf(), version_label="1", by=None)
    services.toolkit_file_add(toolkit=toolkit, uploaded=pdf("Kept"), version_label="2", by=None)
    with django_capture_on_commit_callbacks(execute=True):
        record.delete()
    assert len(keys(bucket)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        toolkit.delete()  # its versions go with it, and so do their objects
    assert keys(bucket) == []


def test_healthz_reports_the_bucket_and_names_it_when_unreachable(bucket, client, settings):
    body = client.get("/healthz/").json()
    assert body["storage"] == "ok" and body["status"] == "ok"
    settings.STORAGES["default"]["OPTIONS"]["bucket_name"] = "no-such-bucket-here"
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["storage"].startswith("unreachable")


def test_healthz_says_nothing_of_storage_with_the_folder(client):
    assert "storage" not in client.get("/healthz/").json()


def test_export_lists_uploads_and_deletion_keeps_the_labs_files(bucket):
    person = factories.lab_staff()
    record = services.toolkit_file_add(
        toolkit=factories.toolkit(), uploaded=pdf(), version_label="1", by=person
    )
    uploads = personal_data_export(user=person)["toolkits"]["uploads"]
    assert uploads[0]["sha256"] == record.sha256
    assert uploads[0]["download"].endswith(record.get_absolute_url())
    account_delete(user=person)
    record.refresh_from_db()
    assert record.uploaded_by is None and keys(bucket) == [record.file.name]


def test_storage_copy_moves_the_folder_to_the_bucket_once(bucket, settings, tmp_path):
    # Two versions stored in the folder, as before the bucket was set up.
    folder = tmp_path / "media"
    originals = settings.STORAGES
    settings.STORAGES = {**originals, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage"}}  # fmt: skip
    toolkit = factories.toolkit(slug="moved")
    records = [
        services.toolkit_file_add(toolkit=toolkit, uploaded=pdf(f"v{n}"), version_label=str(n),
                                  by=None, now=timezone.now() - timedelta(days=n))
        for n in (1, 2)
    ]  # fmt: skip
    assert len(list(folder.rglob("*.pdf"))) == 2
    settings.STORAGES = originals
    out = io.StringIO()
    call_command("storage_copy", "--to-s3", stdout=out)
    assert "[1/2]" in out.getvalue() and "Done: 2 copied, 0 already in the bucket" in out.getvalue()
    for record in records:
        assert object_bytes(bucket, record.file.name) == (folder / record.file.name).read_bytes()
    again = io.StringIO()
    call_command("storage_copy", "--to-s3", stdout=again)
    assert "Done: 0 copied, 2 already in the bucket, 0 missing." in again.getvalue()
    (folder / records[0].file.name).unlink()
    bucket.delete_object(Bucket=BUCKET, Key=records[0].file.name)
    with pytest.raises(CommandError, match="1 files named in the database are not in"):
        call_command("storage_copy", "--to-s3", stdout=io.StringIO(), stderr=io.StringIO())


def test_storage_copy_needs_the_bucket_configured():
    with pytest.raises(CommandError, match="Set STORAGE_S3_BUCKET"):
        call_command("storage_copy", "--to-s3")
