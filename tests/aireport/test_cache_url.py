"""CACHE_URL: local memory by default, Redis through Django's own backend in production."""

import json
import os

import pytest

from .conftest import production_env, run_django

DJANGO_REDIS = "django.core.cache.backends.redis.RedisCache"


def cache_settings(tmp_path=None, **env: str) -> dict:
    environment = production_env(**env)
    if tmp_path is not None:
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(tmp_path), environment.get("PYTHONPATH")])
        )
    result = run_django(
        "import json\nfrom django.conf import settings\n"
        "print(json.dumps(settings.CACHES['default']))",
        environment,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_without_cache_url_each_process_has_its_local_memory_cache():
    env = production_env()
    env.pop("CACHE_URL", None)
    result = run_django(
        "import json\nfrom django.conf import settings\n"
        "print(json.dumps(settings.CACHES['default']))",
        env,
    )

    assert json.loads(result.stdout.splitlines()[-1]) == {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "aireport",
    }


def test_a_redis_url_uses_djangos_own_redis_backend():
    config = cache_settings(CACHE_URL="redis://cache.internal:6379/1")

    assert config == {"BACKEND": DJANGO_REDIS, "LOCATION": "redis://cache.internal:6379/1"}


def test_tls_password_and_options_reach_djangos_backend_in_its_spelling():
    config = cache_settings(CACHE_URL="rediss://:geheim@cache.internal:6380/0?socket_timeout=2")

    assert config["BACKEND"] == DJANGO_REDIS
    assert config["LOCATION"] == "rediss://:geheim@cache.internal:6380/0"
    assert config["OPTIONS"] == {"socket_timeout": 2}


def test_django_redis_being_installed_does_not_change_the_backend(tmp_path):
    """django-environ prefers django-redis when it can import it; we never want that."""
    (tmp_path / "django_redis").mkdir()
    (tmp_path / "django_redis" / "__init__.py").write_text("")

    config = cache_settings(tmp_path, CACHE_URL="redis://cache.internal:6379/0")

    assert config["BACKEND"] == DJANGO_REDIS


@pytest.fixture
def redis_url(redis_server):
    return redis_server.url


def test_two_app_processes_share_the_redis_cache(redis_url):
    env = production_env(CACHE_URL=redis_url)

    writer = run_django("from django.core.cache import cache\ncache.set('gruss', 'hallo', 60)", env)
    reader = run_django("from django.core.cache import cache\nprint(cache.get('gruss'))", env)

    assert writer.returncode == 0, writer.stderr
    assert reader.stdout.splitlines()[-1] == "hallo"
