import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# Set by each test itself, never inherited from the environment running the tests.
CONTROLLED = {
    "DATABASE_URL",
    "DEBUG",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "HTTPS",
    "TWO_FACTOR_REQUIRED",
}


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env.update(extra)
    return env


@pytest.mark.slow_subprocess
def test_the_demo_command_builds_a_working_database_from_nothing(tmp_path: Path) -> None:
    database = tmp_path / "demo.sqlite3"
    # As `make demo` runs it: two-step sign-in off, which only DEBUG allows.
    env = _clean_env(
        DEBUG="true", TWO_FACTOR_REQUIRED="false", DATABASE_URL=f"sqlite:///{database}"
    )
    result = _run_manage("demo", "--no-server", env=env)
    assert result.returncode == 0, result.stderr
    assert "Two-step sign-in is off for this demo" in result.stdout
    for username in ("demo-casemanager", "demo-supervisor", "demo-admin"):
        assert f"username: {username}" in result.stdout
    printed = {
        line.split("username:")[1].split()[0]: line.split("password:")[1].strip()
        for line in result.stdout.splitlines()
        if "password:" in line
    }
    # The printed password really signs that account in.
    check = _run_manage(
        "shell",
        "-c",
        # django-axes counts sign-in attempts per address, so authenticate needs a request.
        "from django.contrib.auth import authenticate; "
        "from django.test import RequestFactory; "
        "u = authenticate(RequestFactory().post('/accounts/login/'), "
        f"username='demo-casemanager', password='{printed['demo-casemanager']}'); "
        "print('ROLE', u.role.value)",
        env=env,
    )
    assert "ROLE case_manager" in check.stdout, check.stderr
    with sqlite3.connect(database) as connection:
        groups = {row[0] for row in connection.execute("select name from auth_group")}
    assert {"Case manager", "Supervisor", "Administrator"} <= groups


@pytest.mark.slow_subprocess
def test_the_demo_command_refuses_with_debug_off(tmp_path: Path) -> None:
    env = _clean_env(
        DEBUG="false",
        SECRET_KEY="k" * 64,
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    )
    result = _run_manage("demo", "--no-server", env=env)
    assert result.returncode != 0
    assert "Refusing to create demo accounts with DEBUG off" in result.stderr
    assert not (tmp_path / "demo.sqlite3").exists() or _count_users(tmp_path / "demo.sqlite3") == 0


def _count_users(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        try:
            return connection.execute("select count(*) from shelter_user").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


@pytest.mark.slow_subprocess
@pytest.mark.parametrize(
    ("env_extra", "message"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY must be set"),
        (
            {"DEBUG": "false", "SECRET_KEY": "insecure-development-key-do-not-use-in-production"},
            "SECRET_KEY must be set",
        ),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        (
            {"DEBUG": "false", "SECRET_KEY": "k" * 64, "TWO_FACTOR_REQUIRED": "false"},
            "TWO_FACTOR_REQUIRED can only be turned off with DEBUG on",
        ),
        (
            {"DEBUG": "true", "AGENCY_TIME_ZONE": "Mars/Olympus"},
            "AGENCY_TIME_ZONE must be an IANA zone",
        ),
    ],
    ids=["no-secret", "dev-secret", "bad-debug", "two-step-off", "bad-zone"],
)
def test_bad_settings_stop_the_process_with_a_clear_message(
    env_extra: dict[str, str], message: str
) -> None:
    result = _run_manage("check", env=_clean_env(**env_extra))
    assert result.returncode != 0
    assert message in result.stderr
