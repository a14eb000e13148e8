"""Creates the PostgreSQL database named by DATABASE_URL if it does not exist yet.

`make run` calls this before `migrate`, so a newcomer with a fresh PostgreSQL server
needs no `createdb`. Does nothing for SQLite (the file is created on first use).
"""

import os
import sys

import environ
import psycopg2
from psycopg2 import sql


def main():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return 0
    config = environ.Env.db_url_config(url)
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
        "connect_timeout": 5,
    }
    try:
        connection = psycopg2.connect(**{k: v for k, v in params.items() if v is not None})
    except psycopg2.OperationalError as exc:
        print(f"Cannot reach PostgreSQL at {config.get('HOST')}: {exc}", file=sys.stderr)
        return 1
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"Created PostgreSQL database {config['NAME']}.")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
