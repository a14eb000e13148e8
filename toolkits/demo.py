"""Demo toolkits for `manage.py seed_demo`: method cards and real (small) PDF files.

Idempotent: toolkits are matched by slug, cards and files are added only when missing.
"""

from django.core.files.base import ContentFile
from django.db import transaction

from community.accounts.models import Organisation, User
from learning.models import Capability, Offering, Publication
from toolkits import services
from toolkits.models import MethodCard, Toolkit


def simple_pdf(title, lines):
    """A valid one-page PDF showing `title` and `lines` (ASCII), without any library."""

    def escape(text):
        text = text.encode("ascii", "replace").decode()
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = ["BT", "/F1 18 Tf", "56 780 Td", f"({escape(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        stream += ["0 -18 Td", f"({escape(line)}) Tj"]
    stream.append("ET")
    content = "\n".join(stream).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


CARD = {
    "time_needed": "60 to 90 minutes",
    "group_size": "4 to 8 people",
    "materials": "Sticky notes, markers, a wall",
}

TOOLKITS = [
    {
        "slug": "open-policy-making-toolkit",
        "title": "Open Policy Making toolkit",
        "summary": "Methods to open up policy making: user research, co-design and "
        "experimentation, as Policy Lab UK uses them.",
        "lab": "Policy Lab UK",
        "tested_with": "Cabinet Office policy teams",
        "audience": "Policy makers",
        "licence": "OGL-3.0",
        "tags": ["policy design", "open policy making", "user research"],
        "offerings": ["open-policy-making-toolkit-walkthrough", "policy-lab-uk-residency"],
        "cards": [
            ("Ethnographic interviews", "Understand how people live with a policy.",
             "1. Choose 6 people affected\n2. Meet them where they are\n3. Listen, do not pitch"),
            ("Speculative design", "Make possible futures tangible to discuss them.",
             "1. Pick a trend\n2. Design an object from 2040\n3. Discuss what it tells you"),
        ],
        "versions": [("1.0", "First public version."), ("1.1", "Adds speculative design.")],
    },
    {
        "slug": "behavioural-insights-platform",
        "title": "Behavioural Insights Platform",
        "summary": "The cumulative knowledge of a behavioural insights unit: checklists, "
        "trial designs and past results.",
        "lab": "MOM Behavioural Insights Unit",
        "tested_with": "Ministry of Manpower, Singapore",
        "audience": "Analysts and service owners",
        "licence": "CC-BY-4.0",
        "tags": ["behavioural insights"],
        "offerings": ["behavioural-insights-nudges-that-respect-people"],
        "cards": [
            ("EAST checklist", "Make the desired behaviour Easy, Attractive, Social, Timely.",
             "1. Map the journey\n2. Find the friction\n3. Apply one EAST lever at a time"),
            ("Randomised trial in a letter", "Test a change before rolling it out.",
             "1. Define one outcome\n2. Randomise recipients\n3. Compare, then decide"),
        ],
        "versions": [("2024", "Annual edition.")],
    },
    {
        "slug": "la-transfo-field-guide",
        "title": "La Transfo field guide",
        "summary": "How a local authority team runs a transformation project with a lab "
        "alongside, from immersion to prototypes.",
        "lab": "La 27e Région",
        "tested_with": "Région Bretagne",
        "audience": "Local authority teams",
        "licence": "etalab-2.0",
        "tags": ["service design", "local government"],
        "offerings": ["la-transfo-rethinking-rural-mobility"],
        "cards": [
            ("Immersion week", "See the service as its users live it.",
             "1. Spend a week on site\n2. Keep a field diary\n3. Share raw findings"),
            ("Prototype in the corridor", "Test a new form or sign with real visitors.",
             "1. Print a rough version\n2. Ask ten visitors to use it\n3. Change and repeat"),
        ],
        "versions": [("1.0", "")],
    },
    {
        "slug": "co-design-workshop-kit",
        "title": "Co-design workshop kit",
        "summary": "Everything to run a first co-design workshop with residents and staff.",
        "lab": "ExperioLab",
        "tested_with": "National Employment Agency, Rennes office",
        "audience": "Facilitators, project managers",
        "licence": "CC-BY-SA-4.0",
        "tags": ["co-design", "facilitation"],
        "offerings": ["facilitating-co-design-workshops"],
        "cards": [
            ("Warm-up: my worst form", "Break the ice and surface pain points.",
             "1. Everyone draws the worst form they filled\n2. Share in pairs\n3. Cluster"),
        ],
        "versions": [("1.0", "")],
    },
    {
        "slug": "plain-language-letters",
        "title": "Plain language letters",
        "summary": "Rewrite official letters with the people who receive them.",
        "lab": "ExperioLab",
        "tested_with": "Ministry of Social Affairs",
        "audience": "Anyone who writes to citizens",
        "licence": "OGL-3.0",
        "tags": ["plain language", "user research"],
        "offerings": ["simplifying-benefit-letters"],
        "cards": [
            ("Read aloud test", "Find the sentences nobody understands.",
             "1. Ask a recipient to read aloud\n2. Mark every hesitation\n3. Rewrite those first"),
        ],
        "versions": [("1.0", "")],
    },
]  # fmt: skip


# The capabilities each toolkit develops (learning.demo_framework's names).
DEVELOPS = {
    "open-policy-making-toolkit": ["Working in the open", "Framing the real problem"],
    "behavioural-insights-platform": ["Testing and measuring what works"],
    "la-transfo-field-guide": ["Spreading the practice", "Learning from failure"],
    "co-design-workshop-kit": ["Co-designing with citizens and colleagues"],
    "plain-language-letters": ["Listening to the people a service is for"],
}


@transaction.atomic
def seed(*, log=print):
    labs = {o.name: o for o in Organisation.objects.all()}
    staff = User.objects.filter(email="staff@demo.innolab.test").first()
    for data in TOOLKITS:
        toolkit, _ = Toolkit.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "summary": data["summary"],
                "approach": f"{data['summary']}\n\nDesigned and tested with "
                f"**{data['tested_with']}**, then used again by other teams.",
                "host_lab": labs[data["lab"]],
                "tested_with": data["tested_with"],
                "audience": data["audience"],
                "licence": data["licence"],
                "status": Publication.PUBLISHED,
            },
        )
        toolkit.tags.set(data["tags"])
        toolkit.related_offerings.set(Offering.objects.filter(slug__in=data["offerings"]))
        toolkit.capabilities.set(Capability.objects.filter(name__in=DEVELOPS[data["slug"]]))
        if not toolkit.cards.exists():
            for position, (title, purpose, steps) in enumerate(data["cards"], start=1):
                MethodCard.objects.create(
                    toolkit=toolkit,
                    position=position,
                    title=title,
                    purpose=purpose,
                    when_to_use="Early in a project, before solutions are chosen.",
                    steps=steps,
                    **CARD,
                )
        for label, note in data["versions"]:
            if toolkit.files.filter(version_label=label).exists():
                continue
            pdf = simple_pdf(
                f"{data['title']} - version {label}",
                [data["summary"][:90], f"Designed with {data['tested_with']}.", note],
            )
            services.toolkit_file_add(
                toolkit=toolkit,
                uploaded=ContentFile(pdf, name=f"{data['slug']}-{label}.pdf"),
                version_label=label,
                change_note=note,
                by=staff,
            )
    log(f"  toolkits: {Toolkit.objects.count()}")
    alumna = User.objects.filter(email="alumna@demo.innolab.test").first()
    if alumna:
        services.toolkit_use_record(
            toolkit=Toolkit.objects.get(slug="plain-language-letters"),
            user=alumna,
            context="Housing benefit letters, Région Bretagne",
            story="We rewrote three letters with tenants. Calls dropped by a third; the "
            "legal team took convincing, so involve them from day one.",
        )
