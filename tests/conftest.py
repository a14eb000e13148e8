import pytest
from django.core.cache import cache
from django.utils import translation

from innolab import fragments
from tests import factories


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth keeps its rate-limit counters in the cache; no test may inherit another's.
    # Kept fragments are right for any test (keyed by content), but each starts cold.
    cache.clear()
    fragments.cache.clear()
    fragments.bodies.clear()
    yield
    cache.clear()
    # A request in French leaves French active in the thread (LocaleMiddleware does not
    # put it back): the next test starts in the default language.
    translation.deactivate()


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
