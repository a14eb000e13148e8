"""Pieces of pages shared by everyone, kept in each process once rendered.

Rendering a card, a post or a table row through Django's template engine costs tenths of
a millisecond each, and a page shows dozens. A fragment is kept under a key that names
*everything it shows* (its "content address"): the template, the language, the time zone
and the data it is rendered with. The same key can only ever render the same HTML, so a
kept fragment is never out of date and never needs clearing: a change to a row gives a
new key, and the old entry ages out.

    fragments.render("learning/_offering_card.html", {"title": ..., "starts_on": ...})

The template sees only that data (plain values: text, numbers, dates, tuples of them):
no request, no user, no context processor. So a fragment cannot show anything its key
does not name, nor anything personal: the reader's own state (their place, "New", links
only some may see, CSRF tokens) is rendered around it, live.

For a piece with no data of its own (static text in the reader's language), templates
may use {% fragment "name" %}...{% endfragment %}, keyed on the name, language and time
zone and on any values listed after the name; such a block must read nothing else.

The cache is a bounded LRU in the process's own memory (FRAGMENT_CACHE_ENTRIES, 0 turns
it off): no network round trip, nothing shared between people that the key does not name,
and nothing a visitor can flood (its keys come from rows, not from query strings).

Whole bodies of the pages every visitor sees alike (learning.visitors) are kept in a
second, smaller LRU (`bodies`, BODY_CACHE_ENTRIES) by `get_or_render_until`: their key
names the version the database keeps of what they show (innolab.versions), and each is
kept no later than the moment the clock alone would change it. A figure that changes more
often than its body (a toolkit's downloads) is a `slot`, filled for each request.
"""

import re
import threading
from collections import OrderedDict
from datetime import date, datetime, time
from decimal import Decimal

from django import forms, template
from django.conf import settings
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_ATOMS = (str, int, float, bool, bytes, Decimal, date, datetime, time, type(None))
_ATOM_TYPES = frozenset(_ATOMS)


class FragmentCache:
    """An LRU of rendered fragments, counting hits and misses (bench reports them)."""

    def __init__(self, entries):
        self.entries = entries
        self._data = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key, fresh=None):
        """The value kept under `key`, or None (a miss): also when `fresh(value)` says
        it may no longer be used."""
        with self._lock:
            value = self._data.get(key)
            if value is None or (fresh is not None and not fresh(value)):
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def set(self, key, value):
        if self.entries <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)

    def clear(self):
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def __len__(self):
        return len(self._data)


cache = FragmentCache(getattr(settings, "FRAGMENT_CACHE_ENTRIES", 5000))

# Larger pieces: the body of a page as every visitor sees it (a list of twenty cards, an
# offering's page), each kept with the moment it stops being right by the clock alone.
# Their keys name a version the database keeps (innolab.versions), so they are never out
# of date either. Fewer entries, as each is tens of kilobytes.
bodies = FragmentCache(getattr(settings, "BODY_CACHE_ENTRIES", 300))


def key_part(value):
    """A hashable stand-in for `value` that equals another only when both render alike."""
    if type(value) in _ATOM_TYPES:  # the common case, without isinstance's walk
        return value
    if type(value) is tuple:  # next most common: a row of a list, an option of a select
        return tuple(key_part(item) for item in value)
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, _ATOMS):
        return value
    if isinstance(value, Model):
        raise TypeError(
            f"a fragment key names the fields it shows, not the object {type(value).__name__}"
        )
    if isinstance(value, (list, tuple)):
        return tuple(key_part(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), key_part(v)) for k, v in value.items()))
    raise TypeError(f"cannot key a fragment on a {type(value).__name__}")


def fragment_key(name, values):
    return (
        name,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        *(key_part(value) for value in values),
    )


def get_or_render(name, values, make):
    """The fragment `name` for `values`: kept, or made by `make()` and kept."""
    key = fragment_key(name, values)
    html = cache.get(key)
    if html is None:
        html = str(make())
        cache.set(key, html)
    return mark_safe(html)  # noqa: S308 # nosec B308 B703 - rendered by our templates


def get_or_render_until(name, values, make, *, now):
    """The kept piece `name` for `values`, made by `make()` when missing or when `now` has
    reached the moment it was kept until. `make()` returns (a tuple of strings, that
    moment or None for "until the key changes"); so does this, the strings marked safe."""
    key = fragment_key(name, values)
    kept = bodies.get(key, fresh=lambda kept: kept[1] is None or now < kept[1])
    if kept is None:
        parts, until = make()
        kept = (tuple(str(part) for part in parts), until)
        bodies.set(key, kept)
    return tuple(mark_safe(part) for part in kept[0])  # noqa: S308 # nosec B308 B703 - rendered by our templates


def slot(name, key):
    """A marker in a kept piece for a value that changes more often than the piece (a
    toolkit's downloads): `fill_slots` puts the value in for each request."""
    if not (str(name).isidentifier() and str(key).isalnum()):
        raise ValueError("a slot is named by a name and a key of letters and digits")
    return mark_safe(f"<!--slot:{name}:{key}-->")  # noqa: S308 # nosec B308 B703 - checked above


_SLOT = re.compile(r"<!--slot:(\w+):(\w+)-->")


def slot_keys(html, name):
    """The keys of the slots `name` in `html`."""
    return [key for slot_name, key in _SLOT.findall(html) if slot_name == name]


def fill_slots(html, values):
    """`html` with each slot replaced by its value, escaped (`values`: {name: {key:
    value}}; a key with no value is shown as 0)."""

    def value(match):
        return escape(values.get(match[1], {}).get(match[2], 0))

    return mark_safe(_SLOT.sub(value, html))  # noqa: S308 # nosec B308 B703 - values escaped


def render(template_name, data):
    """`template_name` rendered with `data` (a dict of plain values) alone, kept by its
    content (see above)."""
    return get_or_render(template_name, [data], lambda: render_to_string(template_name, data))


class FragmentNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name, self.values, self.nodelist = name, values, nodelist

    def render(self, context):
        values = [value.resolve(context) for value in self.values]
        return get_or_render(self.name, values, lambda: self.nodelist.render(context))


@register.tag("fragment")
def do_fragment(parser, token):
    """{% fragment "name" value ... %} ... {% endfragment %}: see the module's notes."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError("fragment needs a quoted name, then its values")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)


@register.simple_tag
def form_fields(form):
    """{% form_fields form %}: includes/form_fields.html for `form`, kept by its content: the
    form's class and prefix, each field's value, choices and errors, and the form's own
    errors. For the forms of busy pages (replies, enrolments); never a form with a
    password (its value would be part of the key)."""
    fields = []
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.PasswordInput):
            raise TypeError("a form with a password is never kept")
        choices = getattr(field, "choices", ())
        fields.append(
            (
                name,
                form[name].value(),
                tuple(form.errors.get(name, ())),
                tuple((str(k), str(label)) for k, label in choices),
            )
        )
    values = [
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        tuple(fields),
        tuple(form.non_field_errors()),
    ]
    return get_or_render(
        "form-fields",
        values,
        lambda: render_to_string("includes/form_fields.html", {"form": form}),
    )
