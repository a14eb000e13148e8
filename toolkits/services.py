"""Writes of the toolkits app: uploads, download counts, usage stories and moderation."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import Publication
from toolkits.models import DailyDownloads, PersonDownload, ToolkitFile, ToolkitUse
from toolkits.uploads import check_upload


def toolkit_file_add(*, toolkit, uploaded, version_label, change_note="", by, now=None):
    """Validates and stores a new version of a toolkit's file; returns the ToolkitFile.

    Raises ValidationError (bad type, size, name, duplicate version label) and stores
    nothing in that case; a file written before a failed database insert is deleted.
    """
    checked = check_upload(uploaded)
    version_label = version_label.strip()
    if not version_label:
        raise ValidationError({"version_label": _("Give this version a label, e.g. “1.0”.")})
    if ToolkitFile.objects.filter(toolkit=toolkit, version_label=version_label).exists():
        raise ValidationError(
            {"version_label": _("Version “%(v)s” already exists.") % {"v": version_label}}
        )
    record = ToolkitFile(
        toolkit=toolkit,
        storage_key=secrets.token_hex(8),
        original_name=checked.safe_name,
        version_label=version_label,
        change_note=change_note.strip(),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
        uploaded_at=now or timezone.now(),
    )
    record.file.save(checked.safe_name, uploaded, save=False)
    try:
        with transaction.atomic():
            record.save()
    except Exception:
        record.file.delete(save=False)
        raise
    return record


def stored_file_remove(sender, instance, **kwargs):
    """Once a file version's row is deleted (by itself or with its toolkit) and the
    transaction commits, its stored object goes too: no orphan in the folder or the
    bucket. Connected to post_delete in ToolkitsConfig.ready."""
    name, file_storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: file_storage.delete(name))


def download_record(*, file, user=None, now=None):
    """Counts one download of `file` today; a signed-in person counts once a day.

    Two small writes, no lock held beyond them, so the download is not slowed. Returns
    True when the download was counted.
    """
    today = timezone.localdate(now or timezone.now())
    if user is not None and user.is_authenticated:
        try:
            with transaction.atomic():
                PersonDownload.objects.create(
                    file=file, toolkit_id=file.toolkit_id, user=user, day=today
                )
        except IntegrityError:
            return False  # already counted today
    updated = DailyDownloads.objects.filter(file=file, day=today).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                DailyDownloads.objects.create(file=file, day=today, count=1)
        except IntegrityError:  # another download created today's row first
            DailyDownloads.objects.filter(file=file, day=today).update(count=F("count") + 1)
    return True


@transaction.atomic
def toolkit_use_record(*, toolkit, user, context, story, now=None):
    """Records (or updates) the person's story of using `toolkit`; returns it.

    Raises ValidationError when the toolkit is not published or the story is empty.
    """
    if toolkit.status != Publication.PUBLISHED:
        raise ValidationError(_("This toolkit is not published."))
    if not story.strip() or not context.strip():
        raise ValidationError(_("Say where you used it and how it went."))
    use, created = ToolkitUse.objects.update_or_create(
        toolkit=toolkit,
        user=user,
        defaults={"context": context.strip(), "story": story.strip()},
    )
    if created and now:
        use.created_at = now
        use.save(update_fields=["created_at"])
    return use


def toolkit_use_moderate(*, use, hidden, by):
    """Hides (or shows again) a usage story; returns it."""
    use.hidden = hidden
    use.hidden_by = by if hidden else None
    use.save(update_fields=["hidden", "hidden_by"])
    return use
