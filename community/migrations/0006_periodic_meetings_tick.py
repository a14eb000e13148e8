"""The meetings tick as a django-celery-beat row, so lab staff can see and change it."""

from django.db import migrations

TICK_NAME = "Sharing meetings: roll series over, send reminders"


def create_tick(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TICK_NAME,
        defaults={
            "task": "community.meetings_tick",
            "interval": every_five,
            "description": "Drafts the next meeting of each series once the last is over, "
            "sends due reminders (each once) and report reminders to organisers.",
        },
    )


def remove_tick(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TICK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0005_sharing_meetings"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_tick, remove_tick)]
