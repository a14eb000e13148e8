"""The pages `make bench` measures, with their targets (a ratio to fortunes, measured in
the same run), picked from the benchmark database: typical rows, not the busiest."""

from bench.seed import BENCH_EMAIL_DOMAIN, BENCH_USER_HANDLE
from community.accounts.models import User
from community.models import Space, Topic
from learning.models import Offering
from toolkits.models import Toolkit

ANONYMOUS_TARGET = 0.30
SIGNED_IN_TARGET = 0.20


def bench_user():
    return User.objects.get(handle=BENCH_USER_HANDLE)


def mixed_members(count):
    """The members of the mixed workload: alumni (every page is open to them), in a fixed
    order, never the benchmark person: they write (enrol, withdraw, reply), and her pages
    must be the same in every run."""
    return list(
        User.objects.filter(email__endswith=BENCH_EMAIL_DOMAIN, alumnus_since__isnull=False)
        .exclude(handle=BENCH_USER_HANDLE)
        .order_by("pk")[:count]
    )


def pages(*, signed_in_client=None):
    """(name, path, signed in, target) for every page; logs `signed_in_client` in as the
    benchmark person when given."""
    if signed_in_client is not None:
        signed_in_client.force_login(bench_user())
    offering = Offering.objects.published().order_by("pk").first()
    toolkit = Toolkit.objects.published().order_by("pk").first()
    space = Space.objects.filter(
        audience=Space.Audience.MEMBERS, slug__startswith="bench-space"
    ).first()
    topics = Topic.objects.filter(space=space).order_by("pk")
    topic = topics[topics.count() // 2]
    return [
        ("hello (plain WSGI)", "/bench/hello", False, None),
        ("fortunes (reference)", "/bench/fortunes/", False, None),
        ("home", "/", False, None),
        # The shell alone for a member (their session, their row, the unread check): what
        # every signed-in page costs before its own work, so the most any can reach.
        ("home, signed in", "/", True, None),
        ("catalogue", "/learning/", False, ANONYMOUS_TARGET),
        ("catalogue, filtered", "/learning/?mode=class&tag=service-design", False,
         ANONYMOUS_TARGET),
        ("offering", offering.get_absolute_url(), False, ANONYMOUS_TARGET),
        ("toolkit list", "/toolkits/", False, ANONYMOUS_TARGET),
        ("toolkit", toolkit.get_absolute_url(), False, ANONYMOUS_TARGET),
        ("directory", "/community/people/", True, SIGNED_IN_TARGET),
        ("meetings", "/community/meetings/", True, SIGNED_IN_TARGET),
        ("forum space", space.get_absolute_url(), True, SIGNED_IN_TARGET),
        ("topic", topic.get_absolute_url(), True, SIGNED_IN_TARGET),
        ("search", "/community/search/?q=service", True, SIGNED_IN_TARGET),
        ("my learning", "/learning/mine/", True, SIGNED_IN_TARGET),
    ]  # fmt: skip
