"""Demo people and organisations for `manage.py seed_demo` (idempotent).

Organisations are real labs that work the way this platform supports (see DOMAIN.md);
the people are invented.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction

from community.models import Organisation, User
from community.roles import LAB_STAFF_GROUP, lab_staff_group_sync

ORGANISATIONS = [
    ("La 27e Région", Organisation.Kind.INNOVATION_LAB, "FR", "https://www.la27eregion.fr"),
    ("ExperioLab", Organisation.Kind.INNOVATION_LAB, "FR", ""),
    ("OPM Lab", Organisation.Kind.INNOVATION_LAB, "US", "https://www.opm.gov"),
    ("Policy Lab UK", Organisation.Kind.INNOVATION_LAB, "GB", ""),
    ("MOM Behavioural Insights Unit", Organisation.Kind.INNOVATION_LAB, "SG", ""),
    ("Région Bretagne", Organisation.Kind.LOCAL_AUTHORITY, "FR", ""),
    ("Ministry of Social Affairs", Organisation.Kind.MINISTRY, "FR", ""),
    ("Department for Education", Organisation.Kind.MINISTRY, "GB", ""),
    ("National Employment Agency", Organisation.Kind.AGENCY, "FR", ""),
]

PEOPLE = [
    # email, name, handle, job title, organisation, staff?, expertise
    (
        "staff@demo.innolab.test",
        "Sam Staff",
        "sam-staff",
        "Programme lead",
        "La 27e Région",
        True,
        ["service design", "facilitation"],
    ),
    (
        "alumna@demo.innolab.test",
        "Alice Alumna",
        "alice-alumna",
        "Policy officer",
        "Région Bretagne",
        False,
        ["user research", "prototyping"],
    ),
    (
        "member@demo.innolab.test",
        "Max Member",
        "max-member",
        "Project manager",
        "National Employment Agency",
        False,
        ["procurement"],
    ),
]


@transaction.atomic
def seed(*, log=print):
    organisations = {}
    for name, kind, country, website in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind, "country": country, "website": website}
        )
        organisations[name] = org
    log(f"  organisations: {len(organisations)}")

    staff_group = lab_staff_group_sync()
    for email, name, handle, title, org, staff, expertise in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, settings.DEMO_PASSWORD, display_name=name, handle=handle
            )
        user.display_name = name
        user.job_title = title
        user.organisation = organisations[org]
        user.country = organisations[org].country
        user.is_staff = staff
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        user.expertise.set(expertise)
        if staff:
            user.groups.add(staff_group)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        log(f"  {email} ({LAB_STAFF_GROUP if staff else 'member'})")


AGENTS = [
    # handle, home agency, commitment, visibility, open to advice, advice topics
    ("alice-alumna", "Région Bretagne", "Run user research in every new regional service.",
     "members", True, "user research, first co-design workshops"),
    ("bruno-bastide", "Région Bretagne", "Prototype before procurement.", "alumni", True,
     "prototyping on a budget"),
    ("chloe-martin", "Ministry of Social Affairs", "Plain-language letters everywhere.",
     "members", True, "plain language, letters"),
    ("dev-patel", "Department for Education", "Open policy making in schools policy.",
     "members", False, ""),
    ("farid-haddad", "Région Bretagne", "Bring secondment learning to rural services.",
     "hidden", False, ""),
    ("grace-okafor", "Department for Education", "Coach analysts in behavioural insights.",
     "members", True, "behavioural trials"),
]  # fmt: skip

ACTIVITY_PLAN = [
    # days ago, kind, team, people reached
    (40, "workshop", "Housing team", 18),
    (150, "coaching", "Digital services", 4),
    (260, "project", "Rural mobility", 9),
    (420, "adoption", "Front office", 25),
    (600, "talk", "Directors' meeting", 40),
]


@transaction.atomic
def seed_network(*, log=print):
    """Alumni with varied visibility, change agents with spread logs over several
    half-years, and advice requests in every state. Runs after the learning seed."""
    from datetime import timedelta

    from django.apps import apps
    from django.utils import timezone

    from community.models import AdviceReply, AdviceRequest, ChangeAgent, SpreadActivity

    Enrolment = apps.get_model("learning", "Enrolment")
    Offering = apps.get_model("learning", "Offering")
    past_class = Offering.objects.filter(slug="open-policy-making-toolkit-walkthrough").first()
    transfo = apps.get_model("learning", "Programme").objects.get(slug="la-transfo")
    staff = User.objects.filter(email="staff@demo.innolab.test").first()
    orgs = {o.name: o for o in Organisation.objects.all()}
    now = timezone.now()
    today = timezone.localdate()
    for n, (handle, agency, commitment, visibility, advice, topics) in enumerate(AGENTS):
        user = User.objects.filter(handle=handle).first()
        if user is None:
            continue
        if past_class and not Enrolment.objects.filter(user=user, offering=past_class).exists():
            Enrolment.objects.create(user=user, offering=past_class, status="completed")
        if n % 2 and not Enrolment.objects.filter(user=user, programme=transfo).exists():
            # Alumni of La Transfo's spring intake, so reach shows per programme.
            Enrolment.objects.create(user=user, programme=transfo, status="completed")
        if user.alumnus_since is None:
            user.alumnus_since = now - timedelta(days=400)
        user.visibility, user.open_to_advice, user.advice_topics = visibility, advice, topics
        user.bio = user.bio or f"{commitment} Happy to share what worked and what did not."
        user.save()
        agent, created = ChangeAgent.objects.get_or_create(
            user=user,
            defaults={
                "home_agency": orgs[agency],
                "status": ChangeAgent.Status.ACTIVE,
                "commitment": commitment,
                "designated_on": today - timedelta(days=500),
                "designated_by": staff,
            },
        )
        if created:
            for days_ago, kind, team, reached in ACTIVITY_PLAN[: 3 + n % 3]:
                SpreadActivity.objects.create(
                    change_agent=agent,
                    kind=kind,
                    happened_on=today - timedelta(days=days_ago + n * 7),
                    agency=orgs[agency] if days_ago < 300 else orgs["National Employment Agency"],
                    team=team,
                    people_reached=reached + n,
                    description=f"{dict(SpreadActivity.Kind.choices)[kind]} with the {team}.",
                    verified_by=staff if days_ago > 100 else None,
                    verified_at=now if days_ago > 100 else None,
                )
    # A nomination waiting for lab staff.
    hugo = User.objects.filter(handle="hugo-lefevre").first()
    if hugo and not ChangeAgent.objects.filter(user=hugo).exists():
        ChangeAgent.objects.create(
            user=hugo,
            status=ChangeAgent.Status.NOMINATED,
            home_agency=orgs["Ministry of Social Affairs"],
            commitment="Start a design circle in my directorate.",
            nominated_at=now,
        )
    # The cascade: members who came because a change agent encouraged them.
    alice = User.objects.filter(handle="alice-alumna").first()
    Enrolment.objects.filter(
        user__handle__in=["hugo-lefevre", "ines-moreau", "eva-lindqvist"], encouraged_by=None
    ).update(encouraged_by=alice)
    log(f"  change agents: {ChangeAgent.objects.filter(status='active').count()} active")

    member = User.objects.filter(email="member@demo.innolab.test").first()
    people = {u.handle: u for u in User.objects.filter(handle__in=[a[0] for a in AGENTS])}
    requests = [
        ("alice-alumna", "First user interviews", "open", None),
        ("chloe-martin", "Rewriting our eligibility letter", "answered",
         "Start with the three questions people phone about most."),
        ("grace-okafor", "Trial design for reminders", "closed", "Happy to look at your plan."),
        ("bruno-bastide", "Cheap prototyping tools", "declined", None),
    ]  # fmt: skip
    if member and not AdviceRequest.objects.filter(requester=member).exists():
        for handle, subject, status, answer in requests:
            recipient = people.get(handle)
            if recipient is None:
                continue
            request = AdviceRequest.objects.create(
                requester=member,
                recipient=recipient,
                subject=subject,
                message="We are starting a project and would value your experience.",
                status=status,
            )
            if answer:
                AdviceReply.objects.create(request=request, author=recipient, body=answer)
    log(f"  advice requests: {AdviceRequest.objects.count()}")


@transaction.atomic
def seed_meetings(*, log=print):
    """A series per programme with a held meeting (and report) and an upcoming one whose
    1-day reminder falls due a few minutes after seeding, so `make run` shows it sent."""
    from datetime import timedelta

    from django.apps import apps
    from django.utils import timezone

    from community.models import Meeting, MeetingSeries, Rsvp

    Programme = apps.get_model("learning", "Programme")
    staff = User.objects.filter(email="staff@demo.innolab.test").first()
    now = timezone.now()
    plans = [
        ("la-transfo", "Inter-Transfo", "La 27e Région, Paris"),
        ("behavioural-insights-pathway", "Behavioural insights exchange", "Online"),
    ]
    for slug, title, venue in plans:
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            continue
        series, _ = MeetingSeries.objects.get_or_create(
            programme=programme,
            defaults={"title": title, "default_venue": venue},
        )
        if staff:
            series.organisers.add(staff)
        if not series.meetings.filter(status=Meeting.Status.HELD).exists():
            start = now - timedelta(days=182)
            Meeting.objects.create(
                series=series, programme=programme, title=title, starts_at=start,
                ends_at=start + timedelta(hours=3), venue=venue, status=Meeting.Status.HELD,
                report_shared="Six teams showed what they changed since the programme.",
                report_worked="Starting small, with one service and its real users.",
                report_failed="Two projects stalled when their sponsor moved on.",
                report_followups="Pair stalled teams with alumni who faced the same.",
                report_written_at=start + timedelta(days=2),
            )  # fmt: skip
        upcoming = series.meetings.filter(status=Meeting.Status.SCHEDULED).first()
        soon = now + timedelta(days=1, minutes=4)
        if upcoming is None:
            upcoming = Meeting.objects.create(
                series=series, programme=programme, title=title, starts_at=soon,
                ends_at=soon + timedelta(hours=3), venue=venue, format="hybrid",
                online_link="https://meet.example.gov/inter-transfo", capacity=30,
                status=Meeting.Status.SCHEDULED,
                agenda="1. What each team tried\n2. What failed, and why\n3. Pairs for next steps",
            )  # fmt: skip
        elif upcoming.starts_at < now + timedelta(hours=1):
            # Keep the demo alive: the next meeting is always tomorrow.
            Meeting.objects.filter(pk=upcoming.pk).update(
                starts_at=soon, ends_at=soon + timedelta(hours=3)
            )
        guests = User.objects.filter(
            email__in=["alumna@demo.innolab.test", "member@demo.innolab.test"]
        )
        upcoming.extra_invitees.add(*guests)
        for handle, answer in [("alice-alumna", "going"), ("bruno-bastide", "going"),
                               ("chloe-martin", "maybe"), ("max-member", "not_going")]:  # fmt: skip
            person = User.objects.filter(handle=handle).first()
            if person:
                Rsvp.objects.get_or_create(
                    meeting=upcoming, user=person, defaults={"answer": answer}
                )
    log(f"  meetings: {Meeting.objects.count()}")


@transaction.atomic
def seed_forums(*, log=print):
    """Open and alumni spaces (cohort spaces come with the cohorts), 30+ topics:
    experiences with failures and lessons, questions with accepted answers, reactions,
    and a flagged post."""
    from community.models import Flag, Post, Reaction, Space, Topic
    from community.services import forums as forum_services

    spaces = {}
    for slug, name, audience, description in [
        ("open-exchange", "Open exchange", "members", "Questions and discussions for everyone."),
        ("alumni-lounge", "Alumni lounge", "alumni", "Experiences from the field, among alumni."),
    ]:
        spaces[slug], _ = Space.objects.get_or_create(
            slug=slug, defaults={"name": name, "audience": audience, "description": description}
        )
    if Topic.objects.exists():
        log(f"  topics: {Topic.objects.count()}")
        return
    from datetime import timedelta

    from django.utils import timezone

    # Demo people have been around for a while (new accounts' posting limit does not apply).
    demo = User.objects.filter(email__endswith="@demo.innolab.test", is_active=True)
    demo.filter(date_joined__gt=timezone.now() - timedelta(days=30)).update(
        date_joined=timezone.now() - timedelta(days=365)
    )
    people = list(demo.order_by("pk"))
    alumni = [p for p in people if p.alumnus_since]
    themes = [
        "benefit letters", "rural mobility", "job centre welcome", "school admissions",
        "housing repairs", "tax reminders", "library opening hours", "social care forms",
        "procurement of design services", "open data for transport",
    ]  # fmt: skip
    for n, theme in enumerate(themes):
        author = alumni[n % len(alumni)]
        topic = forum_services.topic_create(
            space=spaces["alumni-lounge"], author=author, kind="experience",
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
                post = forum_services.post_reply(
                    topic=topic, author=reply_author,
                    body=f"Thank you. We saw the same with {theme}: involving legal early helped.",
                )  # fmt: skip
                Reaction.objects.get_or_create(post=topic.posts.first(), user=reply_author)
                Reaction.objects.get_or_create(post=post, user=author)
    for n in range(12):
        asker = people[n % len(people)]
        topic = forum_services.topic_create(
            space=spaces["open-exchange"], author=asker, kind="question",
            title=f"How do you start user research on {themes[n % len(themes)]}?",
            body="We have no budget for a research agency. Where would you start?",
            tags=["question"],
        )  # fmt: skip
        answerer = alumni[(n + 1) % len(alumni)]
        if answerer != asker:
            answer = forum_services.post_reply(
                topic=topic, author=answerer,
                body="Start with five interviews with people who used the service last month.",
            )  # fmt: skip
            if n % 2 == 0:
                forum_services.answer_accept(topic=topic, post=answer, by=asker)
    for n in range(10):
        forum_services.topic_create(
            space=spaces["open-exchange"], author=people[n % len(people)], kind="discussion",
            title=f"Discussion: spreading the practice, round {n + 1}",
            body="How do you keep momentum once the programme is over?",
        )  # fmt: skip
    # Follows: each alumnus follows the alumni lounge; askers follow their questions.
    from community.models import Follow

    for person in alumni:
        Follow.objects.get_or_create(user=person, space=spaces["alumni-lounge"])
    suspicious = Post.objects.order_by("-pk").first()
    reporter = people[0] if people[0] != suspicious.author else people[1]
    Flag.objects.get_or_create(
        post=suspicious, reporter=reporter, defaults={"reason": "Looks like advertising."}
    )
    log(f"  topics: {Topic.objects.count()}")
