"""`manage.py storage_copy --to-s3`: copies every stored upload from the folder MEDIA_ROOT
to the bucket of STORAGE_S3_BUCKET under the same name, so the database rows keep
pointing at them (docs/operations.md, *Moving files to the bucket*).

Idempotent: an object already in the bucket with the same size is left alone, so the
command can be stopped and run again. Streams each file (never read whole into memory)
and prints one line per file, then a summary; exits with an error when a file the
database names is missing from the folder.
"""

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from innolab import storage


def stored_names():
    """(model label, name) of every file a FileField of any installed model holds."""
    models_with_files = (
        model for config in apps.get_app_configs() for model in config.get_models()
    )
    for model in models_with_files:
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names = (
                    model._default_manager.exclude(**{field.name: ""})
                    .order_by("pk")
                    .values_list(field.name, flat=True)
                )
                for name in names.iterator():
                    yield model._meta.label, name


class Command(BaseCommand):
    help = "Copies uploaded files from MEDIA_ROOT to the S3 bucket (idempotent, with progress)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to-s3", action="store_true", required=True, help="Copy the folder to the bucket."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be copied; copy nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        if not storage.is_bucket(default_storage):
            raise CommandError(
                "Set STORAGE_S3_BUCKET (and its STORAGE_S3_* settings) first: the files are "
                "copied to the bucket the site is configured to use."
            )
        folder = FileSystemStorage(location=settings.MEDIA_ROOT)
        bucket = default_storage
        names = list(stored_names())
        copied = present = missing = 0
        self.stdout.write(
            f"{len(names)} stored files named in the database; from {folder.location} "
            f"to s3://{settings.STORAGE_S3_BUCKET}"
        )
        for n, (label, name) in enumerate(names, start=1):
            prefix = f"[{n}/{len(names)}] {name}"
            if not folder.exists(name):
                missing += 1
                self.stderr.write(f"{prefix}: missing from the folder ({label})")
                continue
            size = folder.size(name)
            if bucket.exists(name) and bucket.size(name) == size:
                present += 1
                self.stdout.write(f"{prefix}: already in the bucket")
                continue
            if not dry_run:
                with folder.open(name, "rb") as source:
                    bucket.bucket.upload_fileobj(
                        source,
                        storage.object_key(bucket, name),
                        ExtraArgs={"ACL": "private"},
                    )
            copied += 1
            self.stdout.write(f"{prefix}: {'would copy' if dry_run else 'copied'} ({size} bytes)")
        verb = "to copy" if dry_run else "copied"
        self.stdout.write(
            f"Done: {copied} {verb}, {present} already in the bucket, {missing} missing."
        )
        if missing:
            raise CommandError(
                f"{missing} files named in the database are not in {folder.location}: "
                "restore them from a backup, then run this again."
            )
