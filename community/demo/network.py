"""Demo alumni network for `manage.py seed_demo`: change agents with spread logs over
several half-years, a nomination waiting for lab staff, and advice requests in every
state. Runs after the cohorts (change agents must be alumni). Idempotent."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from community import services
from community.accounts.models import Organisation, User
from community.models import AdviceRequest, ChangeAgent, SpreadActivity

# handle, home agency, commitment
AGENTS = [
    ("alice-alumna", "Région Bretagne", "Run user research in every new regional service."),
    ("bruno-bastide", "Région Bretagne", "Prototype before procurement."),
    ("chloe-martin", "Ministry of Social Affairs", "Plain-language letters everywhere."),
    ("dev-patel", "Department for Education", "Open policy making in schools policy."),
    ("farid-haddad", "Région Bretagne", "Bring secondment learning to rural services."),
    ("grace-okafor", "Department for Education", "Coach analysts in behavioural insights."),
]

ACTIVITY_PLAN = [
    # days ago, kind, team, people reached
    (40, SpreadActivity.Kind.WORKSHOP, "Housing team", 18),
    (150, SpreadActivity.Kind.COACHING, "Digital services", 4),
    (260, SpreadActivity.Kind.PROJECT, "Rural mobility", 9),
    (420, SpreadActivity.Kind.ADOPTION, "Front office", 25),
    (600, SpreadActivity.Kind.TALK, "Directors' meeting", 40),
]

# recipient, subject, what happened, the recipient's answer
ADVICE = [
    ("alice-alumna", "First user interviews", AdviceRequest.Status.OPEN, None),
    ("chloe-martin", "Rewriting our eligibility letter", AdviceRequest.Status.ANSWERED,
     "Start with the three questions people phone about most."),
    ("grace-okafor", "Trial design for reminders", AdviceRequest.Status.CLOSED,
     "Happy to look at your plan."),
    ("bruno-bastide", "Cheap prototyping tools", AdviceRequest.Status.DECLINED, None),
]  # fmt: skip


def _agents(staff, log):
    orgs = {o.name: o for o in Organisation.objects.all()}
    today = timezone.localdate()
    for n, (handle, agency, commitment) in enumerate(AGENTS):
        user = User.objects.filter(handle=handle).first()
        if user is None or not user.is_alumnus or ChangeAgent.objects.filter(user=user).exists():
            continue
        agent = services.change_agent_designate(
            user=user, home_agency=orgs[agency], by=staff,
            designated_on=today - timedelta(days=500), commitment=commitment,
        )  # fmt: skip
        for days_ago, kind, team, reached in ACTIVITY_PLAN[: 3 + n % 3]:
            activity = services.spread_activity_save(
                agent=agent,
                by=user,
                data={
                    "kind": kind,
                    "happened_on": today - timedelta(days=days_ago + n * 7),
                    "agency": orgs[agency if days_ago < 300 else "National Employment Agency"],
                    "team": team,
                    "people_reached": reached + n,
                    "description": f"{kind.label} with the {team}.",
                },
            )
            if days_ago > 100:
                services.spread_activity_verify(activity=activity, by=staff)
    hugo = User.objects.filter(handle="hugo-lefevre").first()
    if hugo and not ChangeAgent.objects.filter(user=hugo).exists():
        services.change_agent_nominate(
            user=hugo,
            home_agency=orgs["Ministry of Social Affairs"],
            commitment="Start a design circle in my directorate.",
        )
    active = ChangeAgent.objects.filter(status=ChangeAgent.Status.ACTIVE).count()
    log(f"  change agents: {active} active")


def _advice(log):
    member = User.objects.filter(email="member@demo.innolab.test").first()
    if member is None or AdviceRequest.objects.filter(requester=member).exists():
        return
    people = {u.handle: u for u in User.objects.filter(handle__in=[a[0] for a in ADVICE])}
    for handle, subject, status, answer in ADVICE:
        recipient = people.get(handle)
        if recipient is None:
            continue
        request = services.advice_request_create(
            requester=member,
            recipient=recipient,
            subject=subject,
            message="We are starting a project and would value your experience.",
        )
        if answer:
            services.advice_reply(request=request, author=recipient, body=answer)
        if status == AdviceRequest.Status.CLOSED:
            services.advice_close(request=request, by=member)
        elif status == AdviceRequest.Status.DECLINED:
            services.advice_close(request=request, by=recipient, decline=True)
    log(f"  advice requests: {AdviceRequest.objects.count()}")


@transaction.atomic
def seed(*, log=print):
    staff = User.objects.filter(email="staff@demo.innolab.test").first()
    _agents(staff, log)
    _advice(log)
