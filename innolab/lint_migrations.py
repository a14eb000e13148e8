"""Lints the migrations of our apps with django-migration-linter; `make security` runs it.

`python -m innolab.lint_migrations` reads the SQL that `sqlmigrate` prints for every
migration of community, learning and toolkits on the database DATABASE_URL names (an empty,
unmigrated one will do) and exits 1 when a migration has an error: a change that code of
the previous release, still running during a deploy, would trip over (a NOT NULL column it
does not fill, a column it still reads), or a data migration with no way back.

Migrations shipped before the linter ran and flagged by it are listed in
`.ci/migration-baseline.txt`, each with why it was acceptable, and skipped: a fresh clone
needs no git history to tell old from new. Needs the packages of requirements-dev.txt.
"""

import logging
import os
import sys
from pathlib import Path

import django
from django.db import connection
from django_migration_linter import MigrationLinter
from django_migration_linter.sql_analyser import SqliteAnalyser

APPS = ("community", "learning", "toolkits")
ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / ".ci" / "migration-baseline.txt"

# The linter only warns about these, but a reverse costs one line (`RunPython.noop` when
# there is nothing to undo) and keeps a release reversible with `migrate <app> <previous>`.
WARNINGS_AS_ERRORS = ["RUNPYTHON_REVERSIBLE", "RUNSQL_REVERSIBLE"]

# Checks that SQLite's table copies trip on every change (see SqliteRebuildBlindAnalyser).
SQLITE_SKIPPED_CHECKS = ("NOT_NULL", "ADD_UNIQUE")


class SqliteRebuildBlindAnalyser(SqliteAnalyser):
    """The linter's SQLite checks less NOT_NULL and ADD_UNIQUE.

    SQLite cannot add a NOT NULL column, alter one or add a constraint in place: Django
    copies the table into a new one, and those two checks fire on every copy of a table
    that has a NOT NULL column or a unique index, whatever the migration changed: 9 of our
    21 migrations against 3 on PostgreSQL, and a NOT NULL column with a `db_default`, the
    safe way to add one. PostgreSQL, what production runs, makes them: in CI, or locally
    with DATABASE_URL.
    """

    base_migration_checks = [
        check
        for check in SqliteAnalyser.base_migration_checks
        if check.code not in SQLITE_SKIPPED_CHECKS
    ]
    migration_checks = [
        check
        for check in SqliteAnalyser.migration_checks
        if check.code not in SQLITE_SKIPPED_CHECKS
    ]


def baseline_read(path=BASELINE):
    """Returns {app_label: {migration names}} from lines `app_label.migration_name  reason`.

    Blank lines and lines starting with # are comments. Raises ValueError for an entry
    without its reason.
    """
    baseline = {}
    for number, line in enumerate(Path(path).read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition(" ")
        app_label, _, migration_name = name.partition(".")
        if not (app_label and migration_name and reason.strip()):
            raise ValueError(f"{path}:{number}: expected `app_label.migration_name  reason`")
        baseline.setdefault(app_label, set()).add(migration_name)
    return baseline


def migrations_lint(*, apps=APPS, baseline=None):
    """Lints the migrations of `apps` but those in `baseline`, printing what it finds.

    Returns the number of migrations with an error. Raises ValueError for a baseline entry
    that names no migration on disk (a typo, or a migration renamed or squashed since).
    """
    baseline = baseline_read() if baseline is None else baseline
    unknown_apps = set(baseline) - set(apps)
    if unknown_apps:
        raise ValueError(f"baseline names apps that are not linted: {sorted(unknown_apps)}")

    # The linter logs each sqlmigrate call at INFO, which our root logger would print.
    logging.getLogger("django_migration_linter").setLevel(logging.WARNING)
    on_sqlite = connection.vendor == "sqlite"
    totals = {"linted": 0, "baseline": 0, "warnings": 0, "errors": 0}
    for app_label in apps:
        ignored = baseline.get(app_label, set())
        linter = MigrationLinter(
            ignore_name=sorted(ignored),
            no_cache=True,
            warnings_as_errors_tests=WARNINGS_AS_ERRORS,
            quiet=["ok", "ignore"],  # the summary counts the baseline
        )
        if on_sqlite:
            linter.sql_analyser_class = SqliteRebuildBlindAnalyser
        on_disk = {
            name for app, name in linter.migration_loader.disk_migrations if app == app_label
        }
        missing = ignored - on_disk
        if missing:
            raise ValueError(f"baseline names migrations not in {app_label}: {sorted(missing)}")
        linter.lint_all_migrations(app_label=app_label)
        totals["linted"] += linter.nb_total
        totals["baseline"] += linter.nb_ignored
        totals["warnings"] += linter.nb_warnings
        totals["errors"] += linter.nb_erroneous
    print(
        f"Migration linter ({connection.vendor}): {totals['linted']} migrations of "
        f"{', '.join(apps)}; {totals['baseline']} in the baseline, "
        f"{totals['warnings']} with warnings, {totals['errors']} with errors."
        + (" NOT NULL and unique checks run on PostgreSQL only." if on_sqlite else "")
    )
    if totals["errors"]:
        print(
            "Rewrite each migration marked ERR (README.md, Tests), or if it is safe, add it "
            f"to {BASELINE.relative_to(ROOT)} with the reason."
        )
    return totals["errors"]


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innolab.settings")
    django.setup()
    return 1 if migrations_lint() else 0


if __name__ == "__main__":
    sys.exit(main())
