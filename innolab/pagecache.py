"""Whole pages kept in the cache until something they show changes.

Most pages are read far more often than their data changes, and rendering them (ORM
query building and Django templates) costs 10-30 ms where the database costs 2-5. So
a page can be kept in the cache, under a key made of:

- what the request asks for: the view's template, the path with its query string,
  language, time zone, htmx or not, and the person (pages show a person's own state:
  their enrolments, unread notifications, "new" badges), or "anonymous";
- the *generations* of the data areas the page shows ("learning", "forum", ...) and of
  the person's own data ("user:42"). A change to a row of a watched model bumps its
  areas' generations (apps declare their models with `watch` in `AppConfig.ready`), so
  every page built from the old rows is simply never asked for again and expires.

Generations are bumped at once and again after the transaction commits: a page
rendered from the old rows while the change was in flight is left behind by the second
bump. Writes that bypass model signals (`QuerySet.update`, `bulk_create`) call `bump`
themselves. `PAGE_CACHE_SECONDS` (default 300) bounds what nothing bumps: a page that
changes with the clock alone ("upcoming" meetings, enrolment deadlines).

If the cache cannot be reached, pages are rendered as usual, and a bump that failed is
retried by its process before that process next reads or bumps generations.

CSRF tokens differ per visitor, so the cached copy holds a placeholder that is replaced
with the visitor's own token on the way out. Requests with messages to show, and
anything but GET, are rendered as usual and not kept.
"""

import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

CSRF_PLACEHOLDER = "csrf-token-placeholder-7c1e0a"
PREFIX = "pagecache"
# The data areas pages declare they show.
AREAS = ("learning", "toolkits", "people", "forum", "meetings")

# model label -> (areas, attribute naming the person whose own pages it changes, fields
# whose change alone shows nowhere)
WATCHED = {}
# model labels whose rows no cached page shows (e-mail outbox, audit logs, ...)
UNSHOWN = set()


def seconds():
    return settings.PAGE_CACHE_SECONDS


# --- Generations -------------------------------------------------------------------------------
def _generation_key(name):
    return f"{PREFIX}:gen:{name}"


# Bumps that failed (the cache unreachable): this process retries them before it next
# reads generations or bumps, so pages kept before an outage do not outlive it.
_unbumped = set()


def _bump_now(names):
    names = set(names) | _unbumped
    _unbumped.clear()
    for name in names:
        key = _generation_key(name)
        try:
            try:
                cache.incr(key)
            except ValueError:
                # Never bumped, or evicted: start anywhere but where an old page could be.
                cache.add(key, secrets.randbelow(2**62), timeout=None)
        except Exception:
            _unbumped.add(name)
    if _unbumped:
        logger.warning("page cache unreachable: %s to bump later", ", ".join(sorted(_unbumped)))


def bump(*names):
    """Marks every cached page showing these areas as out of date."""
    names = [name for name in names if name]
    if not names:
        return
    _bump_now(names)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(names))


def _generations(names):
    if _unbumped:
        _bump_now(())
    keys = {_generation_key(name): name for name in names}
    found = cache.get_many(list(keys))
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, secrets.randbelow(2**62), timeout=None)
    if missing:
        found |= cache.get_many(missing)
    return [str(found.get(key)) for key in sorted(keys)]


# --- Watching models ---------------------------------------------------------------------------
def watch(model, *areas, person=None, own="user", quiet=()):
    """A save or delete of a `model` row bumps `areas`, and the `own` generation ("user":
    every page of theirs; or a narrower one, say "reads") of the person named by the
    attribute `person` ("user_id", or "pk" for the user model). A save of only `quiet`
    fields (say, `last_login`) bumps nothing. Call it from `AppConfig.ready`."""
    label = model._meta.label
    WATCHED[label] = (areas, person and (person, own), frozenset(quiet))
    # Connected per model: a receiver for every model would cost every other model's bulk
    # deletes their fast path (Django would load each row to send it the signal).
    post_save.connect(_on_change, sender=model, dispatch_uid=f"pagecache.save.{label}")
    post_delete.connect(_on_change, sender=model, dispatch_uid=f"pagecache.delete.{label}")
    m2m_changed.connect(_on_m2m, dispatch_uid="pagecache.m2m")


def unshown(*models):
    """Models no cached page shows: their changes bump nothing (see the completeness test)."""
    UNSHOWN.update(model._meta.label for model in models)


def _names_for(instance, update_fields=None):
    areas, person, quiet = WATCHED.get(instance._meta.label, ((), None, frozenset()))
    if update_fields and set(update_fields) <= quiet:
        return []
    names = list(areas)
    if person:
        attribute, own = person
        person_id = getattr(instance, attribute, None)
        if person_id is not None:
            names.append(f"{own}:{person_id}")
    return names


def _on_change(sender, instance, update_fields=None, **kwargs):
    bump(*_names_for(instance, update_fields))


def _on_m2m(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        bump(*_names_for(instance))


# --- Pages -------------------------------------------------------------------------------------
def _key(request, template, depends):
    """`depends` names areas, and the viewer's own narrower generations as "reads:me"."""
    user = request.user
    names = [name for name in depends if not name.endswith(":me")]
    if user.is_authenticated:
        names.append(f"user:{user.pk}")
        names += [name.replace(":me", f":{user.pk}") for name in depends if name.endswith(":me")]
    parts = [
        template,
        request.get_full_path(),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        request.headers.get("HX-Request", ""),
        str(user.pk) if user.is_authenticated else "anonymous",
        *_generations(names),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"{PREFIX}:page:{digest}"


def _cacheable(request):
    if seconds() <= 0 or request.method != "GET":
        return False
    # Messages are shown once; a page carrying them must be neither kept nor reused.
    return len(messages.get_messages(request)) == 0


def _response(body, *, request=None, kept=False):
    if request is not None and CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, get_token(request))
    response = HttpResponse(body)
    # True when served from the cache: nothing the page shows has changed since it was
    # rendered for this person (a view may skip work it did at that render).
    response.from_page_cache = kept
    return response


def render(request, template, context, *, depends):
    """Like `django.shortcuts.render`, with `context` a callable that is only run when the
    page is not in the cache. It may raise Http404: nothing is kept then."""
    if not _cacheable(request):
        return _response(render_to_string(template, context(), request))
    try:
        key = _key(request, template, depends)
        body = cache.get(key)
    except Exception as error:
        logger.warning("page cache unavailable (%s); rendering %s", error, template)
        return _response(render_to_string(template, context(), request))
    if body is not None:
        return _response(body, request=request, kept=True)
    body = render_to_string(template, context() | {"csrf_token": CSRF_PLACEHOLDER}, request)
    try:
        cache.set(key, body, seconds())
    except Exception as error:
        logger.warning("page cache: could not keep %s (%s)", template, error)
    return _response(body, request=request)
