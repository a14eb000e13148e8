"""Each offering and programme keeps its count of places taken (confirmed and completed),
so catalogue pages read it instead of counting enrolments per row. The column comes with
a database default (the previous release's code keeps inserting rows during the deploy);
then the counts of the places already taken are filled in."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

SEATED = ["confirmed", "completed"]


def count_places(apps, schema_editor):
    Enrolment = apps.get_model("learning", "Enrolment")
    for model_name, field in [("Offering", "offering"), ("Programme", "programme")]:
        taken = (
            Enrolment.objects.filter(**{field: OuterRef("pk")}, status__in=SEATED)
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        )
        apps.get_model("learning", model_name).objects.update(
            seats_taken=Coalesce(Subquery(taken), 0)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0004_periodic_digests"),
    ]

    operations = [
        migrations.AddField(
            model_name="offering",
            name="seats_taken",
            field=models.PositiveIntegerField(
                db_default=0, default=0, editable=False, verbose_name="places taken"
            ),
        ),
        migrations.AddField(
            model_name="programme",
            name="seats_taken",
            field=models.PositiveIntegerField(
                db_default=0, default=0, editable=False, verbose_name="places taken"
            ),
        ),
        # Nothing to undo: the columns go with the fields.
        migrations.RunPython(count_places, migrations.RunPython.noop),
    ]
