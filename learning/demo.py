"""Demo catalogue for `manage.py seed_demo`: programmes, offerings of three modes and
their sessions. Idempotent; dates are relative to today so the demo always looks current.
(Cohorts and places in them are seeded by community.demo.cohorts.)
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from community.accounts.models import Organisation
from learning import demo_framework, services
from learning.models import Format, Mode, Offering, Policy, Programme, Publication, Session

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
        "enrolment_policy": Policy.APPLICATION,
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
        "enrolment_policy": Policy.OPEN,
        "capacity": None,
        "start": None,
        "end": None,
        "tags": ["behavioural insights"],
    },
]

# slug, title, mode, lab, policy, capacity, start (days from today), end, format, tags, extra
OFFERINGS = [
    ("design-thinking-for-policy-teams", "Design thinking for policy teams", Mode.CLASS,
     "La 27e Région", Policy.OPEN, 20, 14, 15, Format.IN_PERSON,
     ["design thinking", "policy design"],
     {"programme": "la-transfo", "programme_position": 1, "location": "Paris",
      "tools_introduced": "Personas, journey maps, rapid prototyping",
      "sessions": [(14, 9, 17, "Day 1: understanding users"), (15, 9, 16, "Day 2: prototyping")]}),
    ("introduction-to-user-research", "Introduction to user research", Mode.CLASS,
     "Policy Lab UK", Policy.OPEN, 5, 10, 10, Format.ONLINE, ["user research"],
     {"online_details": "Video link: https://meet.example.gov/user-research (code 4821)",
      "tools_introduced": "Interviews, observation, synthesis walls",
      "sessions": [(10, 13, 16, "")]}),
    ("prototyping-public-services-in-a-day", "Prototyping public services in a day", Mode.CLASS,
     "ExperioLab", Policy.OPEN, None, 30, 30, Format.HYBRID, ["prototyping", "service design"],
     {"location": "Rennes and online", "sessions": [(30, 9, 17, "")]}),
    ("behavioural-insights-nudges-that-respect-people",
     "Behavioural insights: nudges that respect people", Mode.CLASS,
     "MOM Behavioural Insights Unit", Policy.OPEN, 40, 45, 45, Format.ONLINE,
     ["behavioural insights"],
     {"programme": "behavioural-insights-pathway", "programme_position": 1,
      "sessions": [(45, 10, 12, "")]}),
    ("open-policy-making-toolkit-walkthrough", "Open Policy Making toolkit walkthrough",
     Mode.CLASS, "Policy Lab UK", Policy.OPEN, 30, -100, -100, Format.ONLINE,
     ["policy design", "open policy making"], {"sessions": [(-100, 14, 16, "")]}),
    ("facilitating-co-design-workshops", "Facilitating co-design workshops", Mode.CLASS,
     "La 27e Région", Policy.APPLICATION, 12, 21, 22, Format.IN_PERSON,
     ["facilitation", "co-design"],
     {"location": "Lyon", "deadline": 10, "sessions": [(21, 9, 17, ""), (22, 9, 13, "")]}),
    ("la-transfo-rethinking-rural-mobility", "La Transfo: rethinking rural mobility",
     Mode.PROJECT, "La 27e Région", Policy.APPLICATION, None, 40, 160, Format.HYBRID,
     ["service design", "mobility"],
     {"programme": "la-transfo", "programme_position": 2, "circle_size": 8,
      "cross_departmental": True, "sponsor": "Région Bretagne",
      "challenge": "Villagers without a car cannot reach services. Redesign how the region's "
      "transport, social and health services reach them."}),
    ("simplifying-benefit-letters", "Simplifying benefit letters", Mode.PROJECT,
     "ExperioLab", Policy.OPEN, None, 20, 90, Format.IN_PERSON, ["user research", "plain language"],
     {"circle_size": 6, "sponsor": "Ministry of Social Affairs", "location": "Paris",
      "challenge": "Half of the people who receive a benefit letter call to ask what it "
      "means. Rewrite the letters with the people who receive them."}),
    ("welcoming-newcomers-at-the-job-centre", "Welcoming newcomers at the job centre",
     Mode.PROJECT, "ExperioLab", Policy.APPLICATION, 8, 5, 60, Format.IN_PERSON,
     ["service design", "employment"],
     {"deadline": -2, "sponsor": "National Employment Agency", "circle_size": 8,
      "challenge": "First visits to the job centre are confusing. Redesign the welcome."}),
    ("data-informed-school-admissions", "Data-informed school admissions", Mode.PROJECT,
     "Policy Lab UK", Policy.OPEN, 10, 60, 150, Format.ONLINE, ["data"],
     {"status": Publication.DRAFT, "sponsor": "Department for Education"}),
    ("behavioural-trial-on-time-tax-returns", "Behavioural trial: on-time tax returns",
     Mode.PROJECT, "MOM Behavioural Insights Unit", Policy.OPEN, None, None, None, Format.ONLINE,
     ["behavioural insights"],
     {"programme": "behavioural-insights-pathway", "programme_position": 2, "circle_size": 6,
      "challenge": "Design and run a small randomised trial of reminder letters."}),
    ("six-months-inside-the-opm-lab", "Six months inside the OPM Lab", Mode.SECONDMENT,
     "OPM Lab", Policy.APPLICATION, 2, 60, 240, Format.IN_PERSON, ["human-centred design"],
     {"duration_months": 6, "location": "Washington, DC", "deadline": 30,
      "requirements": "Agreement of your line manager; two years in public service."}),
    ("secondment-at-la-27e-region", "Secondment at La 27e Région", Mode.SECONDMENT,
     "La 27e Région", Policy.APPLICATION, 3, 200, 290, Format.IN_PERSON, ["service design"],
     {"programme": "la-transfo", "programme_position": 3, "duration_months": 3,
      "location": "Paris", "requirements": "Completed the first two steps of La Transfo."}),
    ("policy-lab-uk-residency", "Policy Lab UK residency", Mode.SECONDMENT, "Policy Lab UK",
     Policy.APPLICATION, 1, 90, 180, Format.IN_PERSON, ["policy design", "open policy making"],
     {"duration_months": 3, "location": "London"}),
    ("experiolab-innovation-team-placement", "ExperioLab innovation team placement",
     Mode.SECONDMENT, "ExperioLab", Policy.APPLICATION, 2, -200, -20, Format.IN_PERSON,
     ["design thinking"],
     {"duration_months": 6, "status": Publication.ARCHIVED}),
]  # fmt: skip


def _day(today, offset):
    return None if offset is None else today + timedelta(days=offset)


@transaction.atomic
def seed(*, log=print):
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    labs = {o.name: o for o in Organisation.objects.all()}

    programmes = {}
    for data in PROGRAMMES:
        programme, _ = Programme.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "summary": data["summary"],
                "description": data["description"],
                "host_lab": labs[data["host_lab"]],
                "status": Publication.PUBLISHED,
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
        fields = {
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
            "status": extra.get("status", Publication.PUBLISHED),
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
        }
        offering = Offering.objects.filter(slug=slug).first()
        if offering is None:
            offering = services.offering_create(offering=Offering(slug=slug, **fields))
        else:
            for name, value in fields.items():
                setattr(offering, name, value)
            services.offering_update(offering=offering)
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
    demo_framework.seed(log=log)
