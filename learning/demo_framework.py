"""The capability framework the demo ships (lab staff edit theirs in the admin), and which
capabilities the demo's offerings and programmes develop. Written for public-sector
innovation: twelve capabilities in four areas, each with what its four levels look like."""

from learning.models import Capability, CapabilityArea, Offering, Programme

# area, its description, [(capability, description, level 1, level 2, level 3, level 4)]
FRAMEWORK = [
    ("Understanding people and problems",
     "Seeing a policy or service through the eyes of the people it is for.", [
        ("Listening to the people a service is for",
         "Interviews, observation and visits that change what you thought you knew.",
         "I rely on reports and complaints to know what users experience.",
         "I have taken part in interviews or visits run by someone else.",
         "I plan and run my own research with users and make sense of it.",
         "I coach colleagues to run research and bring what they hear into decisions."),
        ("Framing the real problem",
         "Questioning the brief until the problem worth solving is clear.",
         "I take the brief as given.",
         "I can spot when a brief describes a solution rather than a problem.",
         "I reframe problems with evidence and get my team to agree the new frame.",
         "I help senior people reframe their own briefs before work starts."),
        ("Making sense of evidence and data",
         "Combining numbers, stories and research into a judgement others can follow.",
         "I find data hard to question or use.",
         "I can read an analysis and ask useful questions about it.",
         "I combine data and field research to make a case for a decision.",
         "I set up how my team gathers and uses evidence."),
    ]),
    ("Trying things and learning from them",
     "Small, cheap tests before big commitments; failure that teaches.", [
        ("Prototyping ideas quickly",
         "Making an idea tangible enough to test with real people within days.",
         "I write a full plan before anything is tried.",
         "I have made a rough prototype with help.",
         "I prototype ideas and test them with users on my own.",
         "I run prototyping sprints and teach others to."),
        ("Testing and measuring what works",
         "Pilots, trials and measures that tell you whether a change worked.",
         "I judge success by whether a project was delivered.",
         "I can design a simple before-and-after measure with support.",
         "I design pilots or trials with a clear measure of success.",
         "I help my agency decide which changes to test and how."),
        ("Learning from failure",
         "Saying openly what did not work, and changing course because of it.",
         "Failures in my work are rarely discussed.",
         "I can talk about what went wrong in a safe setting.",
         "I run retrospectives and change plans because of them.",
         "I make it safe for my team to report and learn from failure."),
    ]),
    ("Working across boundaries",
     "Citizens, frontline staff and other departments as partners, not audiences.", [
        ("Co-designing with citizens and colleagues",
         "Designing with the people affected, in workshops and beyond.",
         "I consult people once a design is finished.",
         "I have helped in a co-design workshop.",
         "I plan and facilitate co-design workshops.",
         "I train facilitators and build co-design into how projects are run."),
        ("Building alliances across departments",
         "Finding the people in other teams who can make or break a change.",
         "I work mostly within my own team.",
         "I know who to call in a few other departments.",
         "I bring other departments into projects from the start.",
         "I broker lasting partnerships between agencies."),
        ("Working in the open",
         "Sharing drafts, data and decisions early, inside and outside government.",
         "I share work only when it is final.",
         "I share drafts with my own team.",
         "I publish work in progress and invite comment.",
         "I set the norms for open working in my agency."),
    ]),
    ("Leading change in one's own agency",
     "Carrying the practice home: from one project to how the agency works.", [
        ("Making the case for a new approach",
         "Persuading decision-makers with evidence, stories and a low-risk first step.",
         "I am not sure how to argue for a different way of working.",
         "I can explain a new approach to my manager.",
         "I win support for trying a new approach on a real project.",
         "I change how my agency decides which approaches to use."),
        ("Spreading the practice",
         "Coaching colleagues, running sessions, and leaving methods behind.",
         "I apply what I learn in my own work only.",
         "I have shown a colleague a method I learned.",
         "I run sessions or coach colleagues regularly.",
         "I build a network of practitioners in my agency."),
        ("Navigating rules, risk and procurement",
         "Finding the room for manoeuvre in rules, budgets and contracts.",
         "Rules and procurement stop most new ideas I have.",
         "I know who to ask when a rule gets in the way.",
         "I find legitimate routes through rules and procurement for new work.",
         "I help change rules and contracts so that new work is easier."),
    ]),
]  # fmt: skip

# What the demo's offerings, programmes and toolkits develop (capability names).
DEVELOPS = {
    "la-transfo": ["Framing the real problem", "Prototyping ideas quickly",
                   "Building alliances across departments", "Spreading the practice",
                   "Making the case for a new approach"],
    "behavioural-insights-pathway": ["Making sense of evidence and data",
                                     "Testing and measuring what works"],
    "design-thinking-for-policy-teams": ["Framing the real problem", "Prototyping ideas quickly",
                                         "Co-designing with citizens and colleagues"],
    "introduction-to-user-research": ["Listening to the people a service is for",
                                      "Making sense of evidence and data"],
    "prototyping-public-services-in-a-day": ["Prototyping ideas quickly",
                                             "Learning from failure"],
    "behavioural-insights-nudges-that-respect-people": ["Testing and measuring what works",
                                                        "Making sense of evidence and data"],
    "open-policy-making-toolkit-walkthrough": ["Working in the open", "Framing the real problem",
                                               "Co-designing with citizens and colleagues"],
    "facilitating-co-design-workshops": ["Co-designing with citizens and colleagues",
                                         "Building alliances across departments"],
    "la-transfo-rethinking-rural-mobility": ["Listening to the people a service is for",
                                             "Prototyping ideas quickly",
                                             "Building alliances across departments"],
    "simplifying-benefit-letters": ["Listening to the people a service is for",
                                    "Prototyping ideas quickly"],
    "welcoming-newcomers-at-the-job-centre": ["Listening to the people a service is for",
                                              "Co-designing with citizens and colleagues"],
    "behavioural-trial-on-time-tax-returns": ["Testing and measuring what works"],
    "six-months-inside-the-opm-lab": ["Making the case for a new approach",
                                      "Spreading the practice",
                                      "Navigating rules, risk and procurement"],
    "secondment-at-la-27e-region": ["Spreading the practice",
                                    "Building alliances across departments"],
    "policy-lab-uk-residency": ["Working in the open", "Making the case for a new approach"],
}  # fmt: skip


def seed(*, log=print):
    """The framework, and what the catalogue develops; idempotent (by name and slug)."""
    for area_position, (area_name, area_description, capabilities) in enumerate(FRAMEWORK):
        area, _ = CapabilityArea.objects.update_or_create(
            name=area_name,
            defaults={"description": area_description, "position": area_position},
        )
        for position, (name, description, *levels) in enumerate(capabilities):
            Capability.objects.update_or_create(
                name=name,
                defaults={
                    "area": area,
                    "description": description,
                    "position": position,
                    **{f"level_{n}": text for n, text in enumerate(levels, start=1)},
                },
            )
    by_name = {c.name: c for c in Capability.objects.all()}
    for slug, names in DEVELOPS.items():
        target = Programme.objects.filter(slug=slug).first() or Offering.objects.get(slug=slug)
        target.capabilities.set([by_name[name] for name in names])
    log(f"  capabilities: {len(by_name)} in {len(FRAMEWORK)} areas")
