from django.db import models
from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from learning.models import Publication


class ToolkitQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Publication.PUBLISHED)

    def with_download_total(self):
        # toolkits.models imports this module: a real cycle, so the model is imported here.
        from toolkits.models import DailyDownloads

        total = (
            DailyDownloads.objects.filter(file__toolkit=OuterRef("pk"))
            .order_by()
            .values("file__toolkit")
            .annotate(n=Sum("count"))
            .values("n")
        )
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
