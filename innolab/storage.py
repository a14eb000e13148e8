"""Uploaded files, whichever storage holds them: the folder MEDIA_ROOT, or a private
S3-compatible bucket when STORAGE_S3_BUCKET is set (settings; README, *File storage*).

- `open_stream` reads a stored file in chunks: from the bucket, the object's body as the
  server sends it, never downloaded whole first (django-storages' own file object would
  spool it to memory or disk before the first byte goes out).
- `presigned_url` is the operator's opt-in (STORAGE_S3_PRESIGNED_SECONDS): a short-lived
  address the browser downloads from directly, with the same name and type.
- `storage_check` answers /healthz/ for the bucket, quickly.
"""

import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)


def is_bucket(storage=None):
    return hasattr(storage or default_storage, "bucket_name")


def object_key(storage, name):
    """The key of stored file `name` in the bucket (its location prefix included), as
    django-storages computes it."""
    from storages.utils import clean_name

    return storage._normalize_name(clean_name(name))


def open_stream(field_file):
    """A file object that reads `field_file` (a FieldFile) chunk by chunk."""
    storage = field_file.storage
    if is_bucket(storage):
        return storage.bucket.Object(object_key(storage, field_file.name)).get()["Body"]
    return field_file.open("rb")


def presigned_url(field_file, *, filename, content_type):
    """A presigned address of `field_file` valid STORAGE_S3_PRESIGNED_SECONDS, sent as an
    attachment named `filename`; None when files stream through the site (the default)
    or live in the folder."""
    seconds = settings.STORAGE_S3_PRESIGNED_SECONDS
    if seconds <= 0 or not is_bucket(field_file.storage):
        return None
    return field_file.storage.url(
        field_file.name,
        parameters={
            "ResponseContentDisposition": content_disposition_header(True, filename),
            "ResponseContentType": content_type,
        },
        expire=seconds,
    )


def storage_check():
    """(ok, detail) for the bucket, or None when files live in the folder. A HEAD on the
    bucket with one-second timeouts and no retry: a health check must answer fast."""
    if not settings.STORAGE_S3_BUCKET:
        return None
    import boto3
    from botocore.config import Config

    options = settings.STORAGES["default"]["OPTIONS"]
    try:
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=options.get("endpoint_url"),
            region_name=options.get("region_name"),
            aws_access_key_id=options.get("access_key"),
            aws_secret_access_key=options.get("secret_key"),
            config=Config(
                connect_timeout=1,
                read_timeout=2,
                retries={"max_attempts": 1},
                s3={"addressing_style": options.get("addressing_style") or "auto"},
            ),
        )
        client.head_bucket(Bucket=options["bucket_name"])
    except Exception as exc:  # unreachable, unknown bucket, refused credentials
        logger.warning("Health: storage unreachable: %s", exc)
        return False, type(exc).__name__
    return True, "ok"
