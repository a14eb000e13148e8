"""Demo catalogue for `manage.py seed_demo`: programmes, offerings of three modes,
sessions, cohorts and enrolments in every status. Idempotent; dates are relative to
today so the demo always looks current.

Demo enrolments are written directly (with their status history) rather than through
`learning.services`, so seeding does not e-mail the demo people.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from community.models import Organisation, User
from community.services import cohort_space_ensure
from learning.models import Cohort, Enrolment, EnrolmentStatusChange, Offering, Programme, Session

EXTRA_PEOPLE = [
    ("Bruno Bastide", "Région Bretagne"),
    ("Chloé Martin", "Ministry of Social Affairs"),
    ("Dev Patel", "Department for Education"),
    ("Eva Lindqvist", "National Employment Agency"),
    ("Farid Haddad", "Région Bretagne"),
    ("Grace Okafor", "Department for Education"),
    ("Hugo Lefèvre", "Ministry of Social Affairs"),
    ("Inès Moreau", "National Employment Agency"),
]

PROGRAMMES = [
    {
        "slug": "la-transfo",
        "title": "La Transfo",
        "summary": "A year-long journey for a local authority team: learn, then transform a "
        "real service together, with a lab alongside.",
        "description": "Modelled on the 27th Region's programme: a **taught** start, a "
        "**learning-by-doing** project on one of your own services, and a **secondment** "
        "inside the lab. Every six months all past participants meet to share what worked "
        "and where they failed.",
        "host_lab": "La 27e Région",
        "enrolment_policy": "application",
        "capacity": 12,
        "start": 20,
        "end": 380,
        "tags": ["service design", "local government"],
    },
    {
        "slug": "behavioural-insights-pathway",
        "title": "Behavioural Insights Pathway",
        "summary": "From a first class on behavioural science to running your own trial.",
        "description": "Two steps: a taught introduction, then a small trial with a "
        "behavioural insights unit, using the unit's cumulative knowledge base.",
        "host_lab": "MOM Behavioural Insights Unit",
        "enrolment_policy": "open",
        "capacity": None,
        "start": None,
        "end": None,
        "tags": ["behavioural insights"],
    },
]

# slug, title, mode, lab, policy, capacity, start (days from today), end, format, tags, extra
OFFERINGS = [
    ("design-thinking-for-policy-teams", "Design thinking for policy teams", "class",
     "La 27e Région", "open", 20, 14, 15, "in_person", ["design thinking", "policy design"],
     {"programme": "la-transfo", "programme_position": 1, "location": "Paris",
      "tools_introduced": "Personas, journey maps, rapid prototyping",
      "sessions": [(14, 9, 17, "Day 1: understanding users"), (15, 9, 16, "Day 2: prototyping")]}),
    ("introduction-to-user-research", "Introduction to user research", "class",
     "Policy Lab UK", "open", 5, 10, 10, "online", ["user research"],
     {"online_details": "Video link: https://meet.example.gov/user-research (code 4821)",
      "tools_introduced": "Interviews, observation, synthesis walls",
      "sessions": [(10, 13, 16, "")]}),
    ("prototyping-public-services-in-a-day", "Prototyping public services in a day", "class",
     "ExperioLab", "open", None, 30, 30, "hybrid", ["prototyping", "service design"],
     {"location": "Rennes and online", "sessions": [(30, 9, 17, "")]}),
    ("behavioural-insights-nudges-that-respect-people",
     "Behavioural insights: nudges that respect people", "class",
     "MOM Behavioural Insights Unit", "open", 40, 45, 45, "online", ["behavioural insights"],
     {"programme": "behavioural-insights-pathway", "programme_position": 1,
      "sessions": [(45, 10, 12, "")]}),
    ("open-policy-making-toolkit-walkthrough", "Open Policy Making toolkit walkthrough",
     "class", "Policy Lab UK", "open", 30, -60, -60, "online",
     ["policy design", "open policy making"], {"sessions": [(-60, 14, 16, "")]}),
    ("facilitating-co-design-workshops", "Facilitating co-design workshops", "class",
     "La 27e Région", "application", 12, 21, 22, "in_person", ["facilitation", "co-design"],
     {"location": "Lyon", "deadline": 10, "sessions": [(21, 9, 17, ""), (22, 9, 13, "")]}),
    ("la-transfo-rethinking-rural-mobility", "La Transfo: rethinking rural mobility",
     "project", "La 27e Région", "application", None, 40, 160, "hybrid",
     ["service design", "mobility"],
     {"programme": "la-transfo", "programme_position": 2, "circle_size": 8,
      "cross_departmental": True, "sponsor": "Région Bretagne",
      "challenge": "Villagers without a car cannot reach services. Redesign how the region's "
      "transport, social and health services reach them."}),
    ("simplifying-benefit-letters", "Simplifying benefit letters", "project",
     "ExperioLab", "open", None, 20, 90, "in_person", ["user research", "plain language"],
     {"circle_size": 6, "sponsor": "Ministry of Social Affairs", "location": "Paris",
      "challenge": "Half of the people who receive a benefit letter call to ask what it "
      "means. Rewrite the letters with the people who receive them."}),
    ("welcoming-newcomers-at-the-job-centre", "Welcoming newcomers at the job centre",
     "project", "ExperioLab", "application", 8, 5, 60, "in_person",
     ["service design", "employment"],
     {"deadline": -2, "sponsor": "National Employment Agency", "circle_size": 8,
      "challenge": "First visits to the job centre are confusing. Redesign the welcome."}),
    ("data-informed-school-admissions", "Data-informed school admissions", "project",
     "Policy Lab UK", "open", 10, 60, 150, "online", ["data"],
     {"status": "draft", "sponsor": "Department for Education"}),
    ("behavioural-trial-on-time-tax-returns", "Behavioural trial: on-time tax returns",
     "project", "MOM Behavioural Insights Unit", "open", None, None, None, "online",
     ["behavioural insights"],
     {"programme": "behavioural-insights-pathway", "programme_position": 2, "circle_size": 6,
      "challenge": "Design and run a small randomised trial of reminder letters."}),
    ("six-months-inside-the-opm-lab", "Six months inside the OPM Lab", "secondment",
     "OPM Lab", "application", 2, 60, 240, "in_person", ["human-centred design"],
     {"duration_months": 6, "location": "Washington, DC", "deadline": 30,
      "requirements": "Agreement of your line manager; two years in public service."}),
    ("secondment-at-la-27e-region", "Secondment at La 27e Région", "secondment",
     "La 27e Région", "application", 3, 200, 290, "in_person", ["service design"],
     {"programme": "la-transfo", "programme_position": 3, "duration_months": 3,
      "location": "Paris", "requirements": "Completed the first two steps of La Transfo."}),
    ("policy-lab-uk-residency", "Policy Lab UK residency", "secondment", "Policy Lab UK",
     "application", 1, 90, 180, "in_person", ["policy design", "open policy making"],
     {"duration_months": 3, "location": "London"}),
    ("experiolab-innovation-team-placement", "ExperioLab innovation team placement",
     "secondment", "ExperioLab", "application", 2, -200, -20, "in_person", ["design thinking"],
     {"duration_months": 6, "status": "archived"}),
]  # fmt: skip

# person, target slug, status (cohort name optional)
ENROLMENTS = [
    ("alumna@demo.innolab.test", "open-policy-making-toolkit-walkthrough", "completed", None),
    ("alumna@demo.innolab.test", "la-transfo", "confirmed", "La Transfo 2026 autumn"),
    ("alumna@demo.innolab.test", "simplifying-benefit-letters", "confirmed", None),
    ("member@demo.innolab.test", "facilitating-co-design-workshops", "applied", None),
    ("member@demo.innolab.test", "prototyping-public-services-in-a-day", "confirmed", None),
    ("member@demo.innolab.test", "introduction-to-user-research", "waitlisted", None),
    ("bruno-bastide", "introduction-to-user-research", "confirmed", "User research, autumn"),
    ("chloe-martin", "introduction-to-user-research", "confirmed", "User research, autumn"),
    ("dev-patel", "introduction-to-user-research", "confirmed", "User research, autumn"),
    ("eva-lindqvist", "introduction-to-user-research", "confirmed", "User research, autumn"),
    ("farid-haddad", "introduction-to-user-research", "confirmed", "User research, autumn"),
    ("grace-okafor", "introduction-to-user-research", "waitlisted", None),
    ("hugo-lefevre", "six-months-inside-the-opm-lab", "applied", None),
    ("ines-moreau", "six-months-inside-the-opm-lab", "declined", None),
    ("bruno-bastide", "open-policy-making-toolkit-walkthrough", "completed", None),
    ("chloe-martin", "design-thinking-for-policy-teams", "withdrawn", None),
    ("dev-patel", "design-thinking-for-policy-teams", "confirmed", "Design thinking, Paris"),
    ("eva-lindqvist", "la-transfo", "applied", None),
    ("farid-haddad", "experiolab-innovation-team-placement", "completed", None),
    # The spring cohort started over six months ago: its first digest is due, so `make run`
    # shows one going out within a minute.
    ("grace-okafor", "la-transfo", "completed", "La Transfo 2026 spring"),
    ("hugo-lefevre", "la-transfo", "completed", "La Transfo 2026 spring"),
    ("ines-moreau", "la-transfo", "completed", "La Transfo 2026 spring"),
]

COHORTS = [
    ("La Transfo 2026 autumn", None, "la-transfo", 20, 380),
    ("La Transfo 2026 spring", None, "la-transfo", -190, -10),
    ("User research, autumn", "introduction-to-user-research", None, 10, 10),
    ("Design thinking, Paris", "design-thinking-for-policy-teams", None, 14, 15),
]


def _day(today, offset):
    return None if offset is None else today + timedelta(days=offset)


@transaction.atomic
def seed(*, log=print):
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    labs = {o.name: o for o in Organisation.objects.all()}
    staff = User.objects.filter(email="staff@demo.innolab.test").first()

    for name, org in EXTRA_PEOPLE:
        handle = slugify(name)
        email = f"{handle}@demo.innolab.test"
        if not User.objects.filter(email=email).exists():
            User.objects.create_user(
                email, settings.DEMO_PASSWORD, display_name=name, handle=handle,
                organisation=labs[org], country=labs[org].country,
            )  # fmt: skip

    programmes = {}
    for data in PROGRAMMES:
        programme, _ = Programme.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "summary": data["summary"],
                "description": data["description"],
                "host_lab": labs[data["host_lab"]],
                "status": "published",
                "enrolment_policy": data["enrolment_policy"],
                "capacity": data["capacity"],
                "starts_on": _day(today, data["start"]),
                "ends_on": _day(today, data["end"]),
            },
        )
        programme.tags.set(data["tags"])
        programmes[programme.slug] = programme
    log(f"  programmes: {len(programmes)}")

    offerings = {}
    for slug, title, mode, lab, policy, capacity, start, end, fmt, tags, extra in OFFERINGS:
        deadline = extra.get("deadline")
        offering, _ = Offering.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "mode": mode,
                "summary": (extra.get("challenge") or title)[:300],
                "description": f"**{title}** is run by {lab}. "
                "Bring a real problem from your own work: you leave with a method you can "
                "use on Monday, and colleagues across government to call on.",
                "host_lab": labs[lab],
                "enrolment_policy": policy,
                "capacity": capacity,
                "starts_on": _day(today, start),
                "ends_on": _day(today, end),
                "format": fmt,
                "status": extra.get("status", "published"),
                "programme": programmes.get(extra.get("programme")),
                "programme_position": extra.get("programme_position", 0),
                "location": extra.get("location", ""),
                "online_details": extra.get("online_details", ""),
                "tools_introduced": extra.get("tools_introduced", ""),
                "challenge": extra.get("challenge", ""),
                "sponsor": labs.get(extra.get("sponsor")),
                "cross_departmental": extra.get("cross_departmental", False),
                "circle_size": extra.get("circle_size"),
                "duration_months": extra.get("duration_months"),
                "requirements": extra.get("requirements", ""),
                "audience": "Civil servants of any grade",
                "application_deadline": None
                if deadline is None
                else datetime.combine(_day(today, deadline), time(18, 0), tz),
            },
        )
        offering.tags.set(tags)
        if not offering.sessions.exists():
            for day, start_hour, end_hour, session_title in extra.get("sessions", []):
                date = _day(today, day)
                Session.objects.create(
                    offering=offering,
                    title=session_title,
                    starts_at=datetime.combine(date, time(start_hour), tz),
                    ends_at=datetime.combine(date, time(end_hour), tz),
                    place=extra.get("location", "Online"),
                )
        offerings[slug] = offering
    log(f"  offerings: {len(offerings)}")

    cohorts = {}
    for name, offering_slug, programme_slug, start, end in COHORTS:
        cohort, _ = Cohort.objects.update_or_create(
            name=name,
            defaults={
                "offering": offerings.get(offering_slug),
                "programme": programmes.get(programme_slug),
                "starts_on": _day(today, start),
                "ends_on": _day(today, end),
            },
        )
        if staff:
            cohort.lead_staff.add(staff)
        cohort_space_ensure(cohort=cohort)
        cohorts[name] = cohort
    log(f"  cohorts: {len(cohorts)}")

    created = 0
    now = timezone.now()
    for n, (who, slug, status, cohort_name) in enumerate(ENROLMENTS):
        user = User.objects.filter(email=who if "@" in who else f"{who}@demo.innolab.test").first()
        target = offerings.get(slug) or programmes[slug]
        key = {"offering": target} if slug in offerings else {"programme": target}
        if Enrolment.objects.filter(user=user, **key).exists():
            continue
        at = now - timedelta(days=30 - n)
        enrolment = Enrolment.objects.create(
            user=user,
            status=status,
            cohort=cohorts.get(cohort_name),
            created_at=at,
            waitlisted_at=at if status == "waitlisted" else None,
            motivation="I want to bring this approach back to my team."
            if target.enrolment_policy == "application"
            else "",
            line_manager_name="Pat Manager"
            if slug in offerings and target.mode == "secondment"
            else "",
            line_manager_email="pat.manager@example.gov"
            if slug in offerings and target.mode == "secondment"
            else "",
            decided_by=staff if status in ("declined", "completed") else None,
            decided_at=at if status in ("declined", "completed") else None,
            **key,
        )
        EnrolmentStatusChange.objects.create(
            enrolment=enrolment, from_status="", to_status=status, changed_by=user, changed_at=at
        )
        created += 1
    # Completed places make alumni (as learning.services.enrolment_complete does).
    User.objects.filter(enrolments__status="completed", alumnus_since__isnull=True).update(
        alumnus_since=now - timedelta(days=30)
    )
    log(f"  enrolments: {created} new, {Enrolment.objects.count()} in all")
