"""The community's pages, by sub-domain. Views are thin: they parse the request, call a
selector or a service, and render or redirect.

account.py     a person's profile, e-mail choices, their data and account deletion
people.py      community index, directory, profiles, advice, change agents, reach
meetings.py    sharing meetings, answers, calendar files and feeds
forums.py      spaces, topics, posts, following, notifications, search
moderation.py  the moderation queue and moderators' actions
"""
