"""CSV exports that spreadsheets open cleanly and cannot be turned against their reader."""

import csv

from django.http import HttpResponse
from django.utils import timezone

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
