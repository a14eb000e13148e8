"""The outcomes tick as a django-celery-beat row: every hour it asks for feedback, sends
one reminder, and asks the three-month follow-up, each once per place (OutcomeRequest)."""

from django.db import migrations

NAME = "Learning outcomes: feedback, reminders, follow-ups"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_hour, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "learning.outcomes_tick",
            "interval": every_hour,
            "description": "Asks for feedback, reminds once, asks the three-month follow-up.",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0006_learning_outcomes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
