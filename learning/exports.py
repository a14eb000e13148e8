"""CSV exports that spreadsheets open cleanly and cannot be turned against their reader."""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learning import policy

# A cell starting with one of these is run as a formula by spreadsheet software.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

ENROLMENT_COLUMNS = [
    "name", "email", "organisation", "offering or programme", "mode", "cohort", "status",
    "applied or enrolled at", "decided by", "decided at",
]  # fmt: skip


def safe_cell(value):
    """Text for a CSV cell; formulas are neutralised with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value  # a number is never a formula, even a negative one
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def enrolment_rows(enrolments):
    for e in enrolments:
        target = e.offering or e.programme
        yield [
            e.user.display_name,
            e.user.email,
            e.user.organisation.name if e.user.organisation else "",
            target.title,
            e.offering.get_mode_display() if e.offering else "programme",
            e.cohort.name if e.cohort else "",
            e.get_status_display(),
            _when(e.created_at),
            e.decided_by.display_name if e.decided_by else "",
            _when(e.decided_at),
        ]


def csv_response(rows, *, header, filename):
    """UTF-8 with a byte-order mark, so spreadsheet software detects the encoding."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response


def enrolments_csv(queryset, *, filename):
    queryset = queryset.select_related(
        "user__organisation", "offering", "programme", "cohort", "decided_by"
    )
    return csv_response(enrolment_rows(queryset), header=ENROLMENT_COLUMNS, filename=filename)


# Lab staff's outcome figures: every cell over fewer than ENOUGH_PEOPLE is withheld.
OUTCOME_COLUMNS = [
    gettext_lazy("kind"), gettext_lazy("offering or programme"), gettext_lazy("completed"),
    gettext_lazy("feedback answers"), gettext_lazy("response rate %"),
    gettext_lazy("average usefulness (1 to 4)"), gettext_lazy("net recommendation"),
    gettext_lazy("follow-up answers"), gettext_lazy("used it back at work %"),
]  # fmt: skip
OUTCOME_COMMENT_COLUMNS = [
    gettext_lazy("offering or programme"),
    gettext_lazy("question"),
    gettext_lazy("answer"),
]


def withheld(value):
    """A figure, or "fewer than 5" where it stands for too few people."""
    if value is None:
        return _("fewer than %(n)s") % {"n": policy.ENOUGH_PEOPLE}
    return value


def _count(n):
    return withheld(n if policy.enough_people(n) else None)


def outcome_rows(rows):
    for row in rows:
        s = row.summary
        yield [
            row.kind, row.title, _count(s.completed), _count(s.feedback),
            withheld(s.response_rate), withheld(s.usefulness_average),
            withheld(s.net_recommendation), _count(s.follow_ups), withheld(s.used_share),
        ]  # fmt: skip
