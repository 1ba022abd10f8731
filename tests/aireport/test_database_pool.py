"""DATABASE_POOL switches PostgreSQL to psycopg's pool; off by default (docs/deployment.md)."""

import json

from tests.aireport.conftest import production_env, run_django

POSTGRES = "postgres://aireport:geheim@127.0.0.1:5432/aireport"
SHOW = (
    "import json\nfrom django.conf import settings\ndb = settings.DATABASES['default']\n"
    "print(json.dumps([db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], db['OPTIONS'].get('pool')]))"
)


def database_settings(**env):
    result = run_django(SHOW, production_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_by_default_connections_persist_and_are_checked_before_reuse():
    assert database_settings(DATABASE_URL=POSTGRES) == [60, True, None]


def test_the_pool_replaces_persistent_connections():
    max_age, _, pool = database_settings(
        DATABASE_URL=POSTGRES, DATABASE_POOL="true", DATABASE_POOL_MAX_SIZE="8"
    )

    assert max_age == 0  # Django refuses a pool together with persistent connections
    assert pool == {"min_size": 1, "max_size": 8, "timeout": 10}


def test_the_pool_on_sqlite_is_refused_at_startup(tmp_path):
    sqlite = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = run_django(SHOW, production_env(DATABASE_URL=sqlite, DATABASE_POOL="true"))

    assert result.returncode != 0
    assert "DATABASE_POOL needs a PostgreSQL DATABASE_URL" in result.stderr
