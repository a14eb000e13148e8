"""django-celery-beat's periodic tasks, as lab staff see them: the same screen, with a
label on the task list's empty choice (HTML wants one; the Nu HTML Checker says so)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import PeriodicTaskAdmin, PeriodicTaskForm, TaskSelectWidget
from django_celery_beat.models import PeriodicTask


class _LabelledTaskSelect(TaskSelectWidget):
    def create_option(self, name, value, label, *args, **kwargs):
        option = super().create_option(name, value, label, *args, **kwargs)
        if value in ("", None) and not label:
            option["attrs"]["label"] = str(_("Choose a task"))
        return option


class LabelledPeriodicTaskForm(PeriodicTaskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regtask"].widget.__class__ = _LabelledTaskSelect


admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class LabelledPeriodicTaskAdmin(PeriodicTaskAdmin):
    form = LabelledPeriodicTaskForm
