"""Toolkits: the fourth mode of learning. Method cards, versioned files, downloads, stories."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from learning.models import Publication
from toolkits.querysets import ToolkitQuerySet


class Licence(models.TextChoices):
    OGL = "OGL-3.0", _("Open Government Licence v3.0")
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0")
    CC_BY_SA = "CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0")
    CC_BY_NC = "CC-BY-NC-4.0", _("Creative Commons Attribution-NonCommercial 4.0")
    ETALAB = "etalab-2.0", _("Licence Ouverte / Etalab 2.0")
    RESERVED = "reserved", _("All rights reserved: ask the lab before reuse")


# A licence's name by its code, for cards: a dict read, where get_licence_display() walks
# every choice.
LICENCE_LABELS = dict(Licence.choices)


class Toolkit(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    approach = models.TextField(
        _("approach it formalises"), blank=True, help_text=_("Markdown: **bold**, lists, links.")
    )
    tested_with = models.CharField(
        _("designed and tested with"),
        max_length=200,
        blank=True,
        help_text=_("The unit or department it was built with, e.g. “Ministry of Manpower”."),
    )
    audience = models.CharField(_("intended audience"), max_length=200, blank=True)
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.OGL
    )
    tags = TaggableManager(_("tags"), blank=True)
    host_lab = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("host lab"),
        on_delete=models.PROTECT,
        related_name="toolkits",
    )
    status = models.CharField(
        _("publication status"),
        max_length=10,
        choices=Publication.choices,
        default=Publication.DRAFT,
    )
    capabilities = models.ManyToManyField(
        "learning.Capability",
        verbose_name=_("capabilities it develops"),
        blank=True,
        related_name="toolkits",
    )
    related_offerings = models.ManyToManyField(
        "learning.Offering",
        verbose_name=_("related offerings"),
        blank=True,
        related_name="toolkits",
        help_text=_("Classes, projects or secondments that teach or use this toolkit."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ToolkitQuerySet.as_manager()

    class Meta:
        verbose_name = _("toolkit")
        verbose_name_plural = _("toolkits")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="toolkit_list_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("toolkits:detail", args=[self.slug])

    mode = "toolkit"

    def get_mode_display(self):
        return _("Toolkit")


class MethodCard(models.Model):
    """One method of a toolkit, short enough to print on a card."""

    toolkit = models.ForeignKey(Toolkit, on_delete=models.CASCADE, related_name="cards")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    when_to_use = models.TextField(_("when to use it"), blank=True)
    steps = models.TextField(_("steps"), help_text=_("Markdown; a numbered list works well."))
    time_needed = models.CharField(_("time needed"), max_length=100, blank=True)
    group_size = models.CharField(_("group size"), max_length=100, blank=True)
    materials = models.TextField(_("materials"), blank=True)

    class Meta:
        verbose_name = _("method card")
        verbose_name_plural = _("method cards")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


def _stored_name(instance, filename):
    # `filename` was already made safe by the upload service; a random folder keeps two
    # versions with the same name apart and makes stored paths unguessable.
    return f"toolkits/{instance.toolkit.slug}/{instance.storage_key}/{filename}"


class ToolkitFile(models.Model):
    """One version of a toolkit's downloadable file. The newest is the default download."""

    toolkit = models.ForeignKey(Toolkit, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=_stored_name, max_length=300)
    storage_key = models.CharField(max_length=32, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    version_label = models.CharField(_("version"), max_length=50)
    change_note = models.TextField(_("what changed"), blank=True)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("file version")
        verbose_name_plural = _("file versions")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["toolkit", "version_label"], name="toolkit_file_version_unique"
            )
        ]

    def __str__(self):
        return f"{self.original_name} ({self.version_label})"

    def get_absolute_url(self):
        return reverse("toolkits:download-version", args=[self.toolkit.slug, self.pk])


class DailyDownloads(models.Model):
    """How many times a file was downloaded on a day (people counted once a day)."""

    file = models.ForeignKey(ToolkitFile, on_delete=models.CASCADE, related_name="daily")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("downloads per day")
        verbose_name_plural = _("downloads per day")
        constraints = [models.UniqueConstraint(fields=["file", "day"], name="downloads_once_a_day")]

    def __str__(self):
        return f"{self.file} {self.day}: {self.count}"


class PersonDownload(models.Model):
    """A signed-in person downloaded a file on a day: counts once, and for their cycle."""

    file = models.ForeignKey(ToolkitFile, on_delete=models.CASCADE, related_name="+")
    toolkit = models.ForeignKey(Toolkit, on_delete=models.CASCADE, related_name="person_downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="toolkit_downloads"
    )
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["file", "user", "day"], name="person_download_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.user} {self.file} {self.day}"


class ToolkitUse(models.Model):
    """ "I used this toolkit": where and how, told by the person who did."""

    toolkit = models.ForeignKey(Toolkit, on_delete=models.CASCADE, related_name="uses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="toolkit_uses",
    )
    context = models.CharField(
        _("where"), max_length=200, help_text=_("The team, service or project you used it in.")
    )
    story = models.TextField(_("how it went"), max_length=3000)
    created_at = models.DateTimeField(_("told on"), default=timezone.now)
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("usage story")
        verbose_name_plural = _("usage stories")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["toolkit", "user"], name="toolkit_use_once_per_person")
        ]

    def __str__(self):
        return f"{self.user} used {self.toolkit}"
