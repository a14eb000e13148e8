"""The toolkits app's part of personal data export and account deletion."""

from toolkits.models import PersonDownload, ToolkitUse


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
    }


def erase(user, now):
    # Stories are contributions: they stay, attributed to "Former member" (the user row
    # is blanked). Download records are personal tracking: they go.
    PersonDownload.objects.filter(user=user).delete()
