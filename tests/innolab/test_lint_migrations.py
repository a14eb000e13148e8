"""The migration linter of `make security` fails a new migration that code of the previous
release would trip over during a deploy; shipped migrations in the baseline are skipped.

The tests give toolkits a copy of its migrations plus one new migration and lint toolkits on
the test database's backend.
"""

import shutil
import textwrap

import pytest
from django.conf import settings as django_settings
from django.db import connections

from innolab import lint_migrations

NEW = "0002_new"


@pytest.fixture
def database(django_db_setup, django_db_blocker):
    # The linter reads which migrations are applied and asks sqlmigrate for SQL, writing
    # nothing; no test transaction is needed, and SQLite's schema editor refuses one.
    with django_db_blocker.unblock():
        yield
        # Opened outside any test transaction: left open, it would keep the test database
        # busy when pytest-django drops it at the end of the run.
        connections.close_all()


@pytest.fixture
def toolkits_migration(database, tmp_path, monkeypatch, settings):
    """Returns a function that adds a migration to a copy of toolkits' migrations."""
    package = f"migrations_{tmp_path.name}"  # a fresh module name: imports are cached
    folder = tmp_path / package
    shutil.copytree(
        django_settings.BASE_DIR / "toolkits" / "migrations",
        folder,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    monkeypatch.syspath_prepend(tmp_path)
    settings.MIGRATION_MODULES = {"toolkits": package}

    latest = max(path.stem for path in folder.glob("0*.py"))

    def add(body):
        source = (
            "from django.db import migrations, models\n\n\n"
            + textwrap.dedent(body)
            + "\n\nclass Migration(migrations.Migration):\n"
            + f'    dependencies = [("toolkits", "{latest}")]\n'
            + "    operations = OPERATIONS\n"
        )
        (folder / f"{NEW}.py").write_text(source)

    return add


def lint_toolkits(baseline=None):
    return lint_migrations.migrations_lint(apps=("toolkits",), baseline=baseline or {})


def test_a_new_migration_that_drops_a_column_fails(toolkits_migration, capsys):
    toolkits_migration('OPERATIONS = [migrations.RemoveField("methodcard", "materials")]')

    assert lint_toolkits() == 1
    out = capsys.readouterr().out
    assert f"(toolkits, {NEW})... ERR" in out
    assert "DROPPING columns" in out


@pytest.mark.postgres
@pytest.mark.skipif(
    not django_settings.IS_POSTGRES, reason="SQLite leaves the NOT NULL check to PostgreSQL"
)
def test_a_new_not_null_column_without_a_database_default_fails(toolkits_migration, capsys):
    toolkits_migration(
        'OPERATIONS = [migrations.AddField("methodcard", "minutes", models.IntegerField())]'
    )

    assert lint_toolkits() == 1
    assert "NOT NULL constraint on columns" in capsys.readouterr().out


def test_a_new_not_null_column_with_a_database_default_passes(toolkits_migration):
    # The rewrite the README advises: the database fills the column for the old code too.
    toolkits_migration(
        "OPERATIONS = [\n"
        '    migrations.AddField("methodcard", "minutes", models.IntegerField(db_default=15))\n'
        "]"
    )

    assert lint_toolkits() == 0


def test_a_new_data_migration_without_a_reverse_fails(toolkits_migration, capsys):
    toolkits_migration(
        """
        def forwards(apps, schema_editor):
            apps.get_model("toolkits", "MethodCard").objects.update(position=0)


        OPERATIONS = [migrations.RunPython(forwards)]
        """
    )

    assert lint_toolkits() == 1
    assert "RunPython data migration is not reversible" in capsys.readouterr().out


def test_a_migration_in_the_baseline_is_skipped(toolkits_migration, capsys):
    toolkits_migration('OPERATIONS = [migrations.RemoveField("methodcard", "materials")]')

    assert lint_toolkits(baseline={"toolkits": {NEW}}) == 0
    out = capsys.readouterr().out
    existing = len(list((django_settings.BASE_DIR / "toolkits" / "migrations").glob("0*.py")))
    assert f"{existing + 1} migrations of toolkits; 1 in the baseline" in out
    assert "DROPPING columns" not in out


def test_a_baseline_entry_naming_no_migration_is_an_error(database):
    with pytest.raises(ValueError, match="0099_gone"):
        lint_toolkits(baseline={"toolkits": {"0099_gone"}})


def test_a_baseline_entry_needs_its_reason(tmp_path):
    baseline = tmp_path / "baseline.txt"
    baseline.write_text("# shipped\ncommunity.0012_email_preferences\n")

    with pytest.raises(ValueError, match=":2:"):
        lint_migrations.baseline_read(baseline)


def test_the_committed_baseline_names_shipped_migrations():
    baseline = lint_migrations.baseline_read()

    assert set(baseline) <= set(lint_migrations.APPS)
    for app_label, names in baseline.items():
        for name in names:
            assert (django_settings.BASE_DIR / app_label / "migrations" / f"{name}.py").is_file()
