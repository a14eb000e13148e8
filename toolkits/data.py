"""The toolkits app's part of personal data export and account deletion."""

from django.conf import settings

from toolkits.models import PersonDownload, ToolkitFile, ToolkitUse


def export(user):
    return {
        "stories": [
            {
                "toolkit": u.toolkit.title,
                "where": u.context,
                "story": u.story,
                "at": u.created_at.isoformat(),
            }
            for u in ToolkitUse.objects.filter(user=user).select_related("toolkit")
        ],
        "downloads": [
            {"toolkit": d.toolkit.title, "day": d.day.isoformat()}
            for d in PersonDownload.objects.filter(user=user).select_related("toolkit")
        ],
        # Files the person uploaded (lab staff): described, with where to download them
        # (wherever they are stored: the folder or the bucket).
        "uploads": [
            {
                "toolkit": f.toolkit.title,
                "version": f.version_label,
                "file": f.original_name,
                "size": f.size,
                "sha256": f.sha256,
                "uploaded_at": f.uploaded_at.isoformat(),
                "download": settings.SITE_URL + f.get_absolute_url(),
            }
            for f in ToolkitFile.objects.filter(uploaded_by=user).select_related("toolkit")
        ],
    }


def erase(user, now):
    # Stories are contributions: they stay, attributed to "Former member" (the user row
    # is blanked). Download records are personal tracking: they go. Files the person
    # uploaded belong to the lab's toolkits: they stay in the storage, no longer linked
    # to the person.
    PersonDownload.objects.filter(user=user).delete()
    ToolkitFile.objects.filter(uploaded_by=user).update(uploaded_by=None)
