"""Labels for the codes a digest's frozen content keeps (rendered in the reader's
language, not the one the digest was built in)."""

from django import template

from community.models import MeetingFormat, SpreadActivity
from learning.models import Mode

register = template.Library()


@register.filter
def spread_kind(code):
    return dict(SpreadActivity.Kind.choices).get(code, code)


@register.filter
def meeting_format(code):
    return dict(MeetingFormat.choices).get(code, code)


@register.filter
def learning_mode(code):
    return dict(Mode.choices).get(code, code)
