"""Settings are read from the environment; production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_django(args, **env_overrides):
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_in_production_is_a_clear_error():
    result = run_django(["check"], DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY="k" * 20 + "-production-like-secret-with-enough-entropy-9f8e7d6c5b4a",
        SITE_URL="https://innolab.example.gov",
        ALLOWED_HOSTS="innolab.example.gov",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_debug_run_needs_no_secret():
    result = run_django(["check"], DEBUG="1")
    assert result.returncode == 0, result.stderr
