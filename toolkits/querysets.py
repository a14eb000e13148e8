from django.db import models
from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from learning.models import Publication


def download_sums():
    """A toolkit's downloads, every version and day: rows of its id (`file__toolkit`) and
    total (`n`), to be filtered to the toolkits wanted."""
    # toolkits.models imports this module: a real cycle, so the model is imported here.
    from toolkits.models import DailyDownloads

    return DailyDownloads.objects.order_by().values("file__toolkit").annotate(n=Sum("count"))


class ToolkitQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Publication.PUBLISHED)

    def with_download_total(self):
        total = download_sums().filter(file__toolkit=OuterRef("pk")).values("n")
        return self.annotate(downloads=Coalesce(Subquery(total, output_field=IntegerField()), 0))

    def with_user_count(self):
        # toolkits.models imports this module: a real cycle, so the model is imported here.
        from toolkits.models import ToolkitUse

        users = (
            ToolkitUse.objects.filter(toolkit=OuterRef("pk"))
            .order_by()
            .values("toolkit")
            .annotate(n=models.Count("user", distinct=True))
            .values("n")
        )
        return self.annotate(used_by=Coalesce(Subquery(users, output_field=IntegerField()), 0))
