import pytest
from django.core.cache import cache

from tests import factories


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth keeps its rate-limit counters in the cache; no test may inherit another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _query_budgets_measure_rendering(request, settings):
    # A page served from innolab.pagecache costs almost no queries; a query budget is
    # about rendering it, so tests with one see every page rendered.
    budgets = {"django_assert_num_queries", "django_assert_max_num_queries"}
    if budgets & set(request.fixturenames) or request.node.get_closest_marker("no_page_cache"):
        settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def member(db):
    return factories.user(display_name="Mia Member")


@pytest.fixture
def staff(db):
    return factories.lab_staff(display_name="Stan Staff")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
