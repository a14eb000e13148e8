"""The version of what a group of tables holds, kept by the database itself.

A *scope* (say "catalogue") names the tables one kind of shared page shows. The database
gives the scope a new version in the same transaction as any write to any of those
tables, whoever makes it: a service, the admin, a bulk `update()`, a migration, raw SQL
or a restore. There is no signal to connect and no cache to clear by hand.

    versions.watch("catalogue", Offering, Programme, ...)   # in AppConfig.ready()
    version = versions.current("catalogue")                 # once per request

A page keyed on the version read at the start of a request never shows data older than
that request: the version is read before the data, and a write's new version becomes
visible in the same commit as the write. Inside a transaction there is no version to
read (its own writes have none yet), so nothing is kept there. Each version is random,
not a counter, so a version rolled back, or a database restored from a backup, never
gives an old key new data.

How the database keeps it (installed after every `migrate`, for each watched table):
- PostgreSQL: a deferred constraint trigger per row, so the version row is only locked
  while the writing transaction commits (once per transaction and scope), never while
  it waits for other locks; and a statement trigger for TRUNCATE.
- SQLite: a trigger per row for insert, update and delete (SQLite writes one at a time).

One version row per scope is one lock per scope at commit: fine for a lab's writes (a
few a second), and the place to look if writes to one scope ever queue.
"""

from django.db import connections
from django.db.models.signals import post_migrate

TABLE = "innolab_data_version"
_watched = {}  # scope -> {model, ...}


def watch(scope, *models):
    """Any write to a table of `models` gives `scope` a new version (call in ready())."""
    if not scope.isidentifier():
        raise ValueError(f"a scope is a name made of letters, digits and _, not {scope!r}")
    _watched.setdefault(scope, set()).update(models)


def watched_tables(scope):
    return {model._meta.db_table for model in _watched.get(scope, ())}


def current(scope, using="default"):
    """The scope's version now (a string), or None when none may be relied on: inside a
    transaction, whose own writes are not committed and so have no version yet (a test's
    transaction, a view under `atomic`), or before `migrate` installed it."""
    connection = connections[using]
    if connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {TABLE} WHERE scope = %s", [scope])  # noqa: S608 # nosec B608 - a constant
        row = cursor.fetchone()
    return row[0] if row else None


# The SQL below is made of constants, our models' table names and scope names that
# watch() checked: nothing from a request.
_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION innolab_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    done text := 'innolab_version.' || TG_ARGV[0];
BEGIN
    -- Once per transaction and scope, however many rows it wrote.
    IF current_setting(done, true) IS DISTINCT FROM 'bumped' THEN
        INSERT INTO innolab_data_version (scope, version) VALUES (TG_ARGV[0], md5(random()::text))
        ON CONFLICT (scope) DO UPDATE SET version = EXCLUDED.version;
        PERFORM set_config(done, 'bumped', true);
    END IF;
    RETURN NULL;
END $$;
"""


def _postgres_triggers(table, scope):
    name = f"{table}_version"
    return [
        f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"',
        f'CREATE CONSTRAINT TRIGGER "{name}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {TABLE}_bump('{scope}')",
        f'CREATE OR REPLACE TRIGGER "{name}_truncate" AFTER TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_bump('{scope}')",
    ]


def _sqlite_triggers(table, scope):
    bump = (
        f"INSERT OR REPLACE INTO {TABLE} (scope, version) "  # noqa: S608 # nosec B608
        f"VALUES ('{scope}', lower(hex(randomblob(16))));"
    )
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{table}_version_{event}" AFTER {event} ON "{table}" '
        f"BEGIN {bump} END"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def install(using="default"):
    """The version table and a trigger on every watched table (idempotent)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        statements, triggers = [_POSTGRES_FUNCTION], _postgres_triggers
        first = "INSERT INTO {table} VALUES ('{scope}', md5(random()::text)) ON CONFLICT DO NOTHING"
    elif connection.vendor == "sqlite":
        statements, triggers = [], _sqlite_triggers
        first = "INSERT OR IGNORE INTO {table} VALUES ('{scope}', lower(hex(randomblob(16))))"
    else:  # pragma: no cover - the project runs on PostgreSQL or SQLite
        raise NotImplementedError(f"no data versions on {connection.vendor}")
    existing = set(connection.introspection.table_names())
    statements.insert(
        0,
        f"CREATE TABLE IF NOT EXISTS {TABLE} "
        "(scope varchar(50) PRIMARY KEY, version varchar(32) NOT NULL)",
    )
    for scope in sorted(_watched):
        statements.append(first.format(table=TABLE, scope=scope))  # data from before
        for table in sorted(watched_tables(scope) & existing):
            statements += triggers(table, scope)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def installed_tables(scope, using="default"):
    """The tables whose writes give `scope` a new version, as the database says."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgargs FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = c.relname || '_version'"
            )
            rows = cursor.fetchall()
            return {table for table, args in rows if bytes(args).split(b"\0")[0] == scope.encode()}
        cursor.execute(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name = tbl_name || '_version_INSERT'"
        )
        return {table for table, sql in cursor.fetchall() if f"VALUES ('{scope}'," in sql}


def _after_migrate(sender, using="default", **kwargs):
    # After every app's migrations: a table a migration made (or rebuilt, as SQLite's
    # ALTER does) gets its trigger again. Cheap and idempotent.
    if sender.label == _last_label():
        install(using)


def _last_label():
    from django.apps import apps

    # post_migrate is sent to each app with models, in INSTALLED_APPS order.
    return [c for c in apps.get_app_configs() if c.models_module is not None][-1].label


post_migrate.connect(_after_migrate, dispatch_uid="innolab-versions")
