from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, app_config=None, using="default", **kwargs):
    # Django creates permissions in post_migrate, after every migration has run, so a
    # data migration cannot give the group its permissions on a fresh database. This
    # receiver runs after auth's (community comes later in INSTALLED_APPS) and creates
    # any permission still missing before it syncs the group.
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    if app_config is None or app_config.label != "community":
        return
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    from community.roles import lab_staff_group_sync

    lab_staff_group_sync()


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self):
        post_migrate.connect(_sync_roles, dispatch_uid="community.sync_roles")
        _watch_for_page_cache()


def _watch_for_page_cache():
    # Which cached pages (innolab.pagecache) each model's rows appear on.
    from innolab import pagecache

    for label in ["Space", "Topic", "Post", "PostRevision", "Reaction", "Flag",
                  "ModerationAction"]:  # fmt: skip
        pagecache.watch(f"community.{label}", "forum")
    pagecache.watch("community.Follow", "forum", person="user_id")
    # "New" badges: only the person's forum lists show them.
    pagecache.watch("community.TopicRead", person="user_id", own="reads")
    pagecache.watch("community.Notification", person="user_id")  # the unread count
    pagecache.watch("community.User", "people", person="pk", quiet=["last_login"])
    for label in ["Organisation", "ChangeAgent", "SpreadActivity", "AdviceRequest",
                  "AdviceReply"]:  # fmt: skip
        pagecache.watch(f"community.{label}", "people")
    pagecache.watch("community.MeetingSeries", "meetings")
    pagecache.watch("community.Meeting", "meetings")
    pagecache.watch("community.Rsvp", "meetings", person="user_id")
    pagecache.unshown("community.OutgoingEmail", "community.MeetingReminder")
    # Tags label offerings, toolkits, topics and people alike.
    for label in ["taggit.Tag", "taggit.TaggedItem"]:
        pagecache.watch(label, *pagecache.AREAS)
