"""Demo forums for `manage.py seed_demo`: open and alumni spaces (cohort spaces come with
the cohorts), 30+ topics: experiences with failures and lessons, questions with accepted
answers, helpful marks, follows, and a flagged post. Idempotent: topics are written once."""

from django.db import transaction

from community import services
from community.accounts.models import User
from community.models import Post, Space, Topic

SPACES = [
    ("open-exchange", "Open exchange", Space.Audience.MEMBERS,
     "Questions and discussions for everyone."),
    ("alumni-lounge", "Alumni lounge", Space.Audience.ALUMNI,
     "Experiences from the field, among alumni."),
]  # fmt: skip

THEMES = [
    "benefit letters", "rural mobility", "job centre welcome", "school admissions",
    "housing repairs", "tax reminders", "library opening hours", "social care forms",
    "procurement of design services", "open data for transport",
]  # fmt: skip


def _experiences(lounge, alumni):
    for n, theme in enumerate(THEMES):
        author = alumni[n % len(alumni)]
        topic = services.topic_create(
            space=lounge, author=author, kind=Topic.Kind.EXPERIENCE,
            title=f"What we learned redesigning {theme}", tags=["experience", theme.split()[0]],
            experience={
                "context": f"Our team owned the {theme} service and complaints were rising.",
                "tried": "Interviews with ten users, then a paper prototype tested in a week.",
                "worked": "Testing with real users early; the front-line staff co-designing.",
                "failed": "We waited too long to involve the legal team, and lost a month.",
                "lessons": "- Bring legal in at the start\n- Test on paper before building",
            },
        )  # fmt: skip
        for reply_author in alumni[n % 3 : n % 3 + 2]:
            if reply_author != author:
                post = services.post_reply(
                    topic=topic, author=reply_author,
                    body=f"Thank you. We saw the same with {theme}: involving legal early helped.",
                )  # fmt: skip
                services.reaction_add(post=topic.posts.first(), user=reply_author)
                services.reaction_add(post=post, user=author)


def _questions(open_space, people, alumni):
    for n in range(12):
        asker = people[n % len(people)]
        topic = services.topic_create(
            space=open_space, author=asker, kind=Topic.Kind.QUESTION,
            title=f"How do you start user research on {THEMES[n % len(THEMES)]}?",
            body="We have no budget for a research agency. Where would you start?",
            tags=["question"],
        )  # fmt: skip
        answerer = alumni[(n + 1) % len(alumni)]
        if answerer != asker:
            answer = services.post_reply(
                topic=topic, author=answerer,
                body="Start with five interviews with people who used the service last month.",
            )  # fmt: skip
            if n % 2 == 0:
                services.answer_accept(topic=topic, post=answer, by=asker)


@transaction.atomic
def seed(*, log=print):
    spaces = {}
    for slug, name, audience, description in SPACES:
        spaces[slug], _ = Space.objects.get_or_create(
            slug=slug, defaults={"name": name, "audience": audience, "description": description}
        )
    if Topic.objects.exists():
        log(f"  topics: {Topic.objects.count()}")
        return
    people = list(User.objects.filter(email__endswith="@demo.innolab.test", is_active=True))
    people.sort(key=lambda person: person.pk)
    alumni = [p for p in people if p.is_alumnus]
    _experiences(spaces["alumni-lounge"], alumni)
    _questions(spaces["open-exchange"], people, alumni)
    for n in range(10):
        services.topic_create(
            space=spaces["open-exchange"], author=people[n % len(people)],
            kind=Topic.Kind.DISCUSSION, title=f"Discussion: spreading the practice, round {n + 1}",
            body="How do you keep momentum once the programme is over?",
        )  # fmt: skip
    # Every alumnus follows the alumni lounge (askers follow their questions already).
    for person in alumni:
        services.follow_toggle(user=person, space=spaces["alumni-lounge"])
    suspicious = Post.objects.order_by("-pk").first()
    reporter = people[0] if people[0] != suspicious.author else people[1]
    services.flag_create(post=suspicious, reporter=reporter, reason="Looks like advertising.")
    log(f"  topics: {Topic.objects.count()}")
