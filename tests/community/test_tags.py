"""The shared tag helpers (community.accounts.tags)."""

import pytest

from community.accounts.tags import tag_names
from community.models import User
from learning.models import Offering
from tests import factories

pytestmark = pytest.mark.django_db


def test_tag_names_reads_the_tags_of_several_models_in_one_query(django_assert_num_queries):
    person = factories.user()
    person.expertise.add("Facilitation", "Service design")
    mine, other = factories.offering(), factories.offering()
    mine.tags.add("Service design", "Prototyping")
    other.tags.add("Not mine")
    with django_assert_num_queries(1):
        names = tag_names((User, [person.pk], "expertise"), (Offering, [mine.pk], "tags"))
    assert names == {"Facilitation", "Service design", "Prototyping"}
    # An id names a row of its own model only: the offering's tags are not a person's.
    assert "Prototyping" not in tag_names((User, [mine.pk], "expertise"))
    with django_assert_num_queries(0):  # nothing to read: no query
        assert tag_names((Offering, [], "tags")) == set()


def test_tag_names_refuses_managers_of_different_through_models():
    class Other:
        class tags:  # stands in for a TaggableManager
            through = object

    with pytest.raises(ValueError, match="one through model"):
        tag_names((Offering, [1], "tags"), (Other, [1], "tags"))
