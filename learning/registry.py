"""Other apps add modes of learning to the catalogue and the learning cycle here.

The `toolkits` app registers the fourth mode in its AppConfig.ready(); learning never
imports it, so the dependency runs one way (toolkits -> learning).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CatalogueSource:
    mode: str
    label: Any  # lazy translation
    explanation: Any
    # card(item) -> the item's card (HTML) in the catalogue, for an item from items().
    card: Callable
    # items(filters, now) -> queryset of published, current items, or None when the
    # catalogue's filters rule this source out (a format or a start date, say).
    items: Callable
    # done_for(user) -> True when the person has done this mode of learning.
    done_for: Callable
    # suggestions(user, interests, limit) -> items to suggest when not done yet.
    suggestions: Callable


_SOURCES = {}


def register(source):
    _SOURCES[source.mode] = source


def sources():
    return list(_SOURCES.values())


def get(mode):
    return _SOURCES.get(mode)


class ChainedResults:
    """Several querysets read as one list, for one Paginator: each is sliced in the
    database, so only the page's rows are fetched."""

    def __init__(self, *querysets):
        self.querysets = [qs for qs in querysets if qs is not None]
        self._counts = None

    def counts(self):
        if self._counts is None:
            self._counts = [qs.count() for qs in self.querysets]
        return self._counts

    def count(self):
        return sum(self.counts())

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        rows, offset = [], 0
        for qs, n in zip(self.querysets, self.counts(), strict=True):
            lo, hi = max(start - offset, 0), min(stop - offset, n) if stop is not None else n
            if lo < hi:
                rows.extend(qs[lo:hi])
            offset += n
        return rows
