"""People and their organisations: the floor every other part of innolab stands on."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from taggit.managers import TaggableManager

from community.accounts.roles import is_lab_staff

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Everyone signed in")
    ALUMNI = "alumni", _("Alumni only")
    HIDDEN = "hidden", _("Hidden: only me and lab staff")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry or department")
        LOCAL_AUTHORITY = "local_authority", _("Local or regional authority")
        AGENCY = "agency", _("Agency or public body")
        INNOVATION_LAB = "innovation_lab", _("Innovation lab or unit")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AGENCY)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
        ]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        if not user.handle:
            user.handle = handle_for(user.display_name or email.split("@")[0])
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


# Handles nobody may choose: words people would take for the platform's own voice, and
# the prefix an account gets when it is deleted (former-member-<id>).
RESERVED_HANDLES = frozenset(
    {"admin", "administrator", "innolab", "lab-staff", "moderator", "staff", "support",
     "root", "system", "me", "accounts", "community", "learning", "toolkits"}
)  # fmt: skip
RESERVED_HANDLE_PREFIXES = ("former-member-",)


def handle_is_reserved(handle):
    handle = handle.lower()
    return handle in RESERVED_HANDLES or handle.startswith(RESERVED_HANDLE_PREFIXES)


def handle_for(text):
    """A free handle made from `text`: "Ada Lovelace" -> "ada-lovelace", then "-2", ...
    never a reserved one.

    A race with another sign-up taking the same handle ends at the unique constraint.
    """
    base = slugify(text)[:40].strip("-") or "member"
    handle, n = base, 1
    while handle_is_reserved(handle) or User.objects.filter(handle__iexact=handle).exists():
        n += 1
        handle = f"{base}-{n}"
    return handle


# What a person edits on their profile page (and lab staff see in the admin), in order.
PROFILE_FIELDS = [
    "display_name",
    "handle",
    "job_title",
    "organisation",
    "country",
    "time_zone",
    "preferred_language",
    "bio",
    "expertise",
    "visibility",
    "open_to_advice",
    "advice_topics",
]


class User(AbstractBaseUser, PermissionsMixin):
    """A person on the platform. Logs in by e-mail; known in public by `handle`."""

    email = models.EmailField(_("e-mail address"), unique=True)
    handle = models.SlugField(
        _("handle"),
        max_length=50,
        unique=True,
        help_text=_("Your public name in profile addresses and @mentions: letters, digits, -."),
    )
    display_name = models.CharField(_("display name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    country = CountryField(_("country"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=settings.TIME_ZONE
    )
    bio = models.TextField(_("bio"), blank=True, max_length=2000)
    expertise = TaggableManager(
        _("expertise"), blank=True, help_text=_("Methods and topics you know, comma-separated.")
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    visibility = models.CharField(
        _("who can see my profile"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
        help_text=_("Nobody who is not signed in ever sees your profile or e-mail address."),
    )
    open_to_advice = models.BooleanField(
        _("open to advice requests"),
        default=False,
        help_text=_(
            "Members can ask you for advice through the platform; your address stays hidden."
        ),
    )
    advice_topics = models.CharField(
        _("topics I can help with"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “running a first co-design workshop, procurement of design services”."),
    )

    class ForumEmails(models.TextChoices):
        IMMEDIATE = "immediate", _("Each post, as it comes")
        DAILY = "daily", _("One summary a day")
        WEEKLY = "weekly", _("One summary a week")
        OFF = "off", _("None: I check the site")

    forum_emails = models.CharField(
        _("e-mails about forum posts I follow"),
        max_length=10,
        choices=ForumEmails.choices,
        default=ForumEmails.IMMEDIATE,
    )
    email_digests = models.BooleanField(_("six-monthly cohort digests"), default=True)
    email_meeting_reminders = models.BooleanField(_("meeting reminders"), default=True)
    email_enrolment_updates = models.BooleanField(
        _("confirmations of what I did (enrolled, applied, withdrew)"), default=True
    )
    email_advice = models.BooleanField(_("advice requests and replies"), default=True)
    email_outcomes = models.BooleanField(
        _("questions on how my learning went (feedback, and a follow-up three months on)"),
        default=True,
        db_default=True,  # a new column on a live table: older code keeps inserting rows
    )
    calendar_token = models.CharField(
        _("calendar feed token"), max_length=64, null=True, blank=True, unique=True,
        editable=False,
    )  # fmt: skip
    alumnus_since = models.DateTimeField(
        _("alumnus since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when lab staff first mark one of the person’s places completed."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log into the admin. Lab staff also need the “Lab staff” group."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(Lower("handle"), name="user_handle_unique_ci"),
        ]
        # The directory pages through people by name: walked in order, never sorted whole.
        indexes = [
            models.Index(fields=["display_name", "id"], name="user_directory_order_idx"),
            # The directory's count reads only these columns of active people: an
            # index-only scan of them, not a scan of every (wide) row (41 ms to 16 ms for
            # 50,000 people).
            models.Index(
                fields=["id", "visibility", "alumnus_since"],
                condition=models.Q(is_active=True),
                name="user_directory_count_idx",
            ),
        ]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("community:person", args=[self.handle])

    @property
    def is_alumnus(self):
        return self.alumnus_since is not None

    @property
    def is_lab_staff(self):
        return is_lab_staff(self)
