"""{{ person|shown_name:viewer }}: a person's name as `viewer` may see it ("A member"
otherwise), for pages and e-mails alike (community.accounts.policy.name_for)."""

from django import template

from community.accounts import policy as people_policy

register = template.Library()


@register.filter
def shown_name(person, viewer):
    return people_policy.name_for(viewer, person)
