"""The Celery app. Configuration lives in settings.py under the CELERY_ prefix.

Periodic tasks are rows of django-celery-beat's tables, created by data migrations, so
lab staff can see and change them in the admin (beat would overwrite their edits at every
start if they were declared in CELERY_BEAT_SCHEDULE).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innolab.settings")

app = Celery("innolab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="innolab.ping")
def ping():
    """Answers "pong": proves a worker is consuming (see README, "Is it working?")."""
    return "pong"
