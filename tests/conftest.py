import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

SEED_PATH = Path(
    os.environ.get("PLAN_SEED_PATH", Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_650be32f74d3c900.txt")
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the real 2017 plan, loaded once per session."""
    with django_db_blocker.unblock():
        call_command("load_plan", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture
def plan(db):
    from initiatives.models import Plan

    return Plan.objects.get(year=2017)


@pytest.fixture
def seed_text() -> str:
    """The plan text, whitespace folded. CI must have it; elsewhere a missing copy skips."""
    if not SEED_PATH.exists():
        if os.environ.get("CI"):
            pytest.fail(f"plan text missing at {SEED_PATH}")
        pytest.skip(f"plan text not found at {SEED_PATH} (set PLAN_SEED_PATH)")
    return fold(SEED_PATH.read_text(encoding="utf-8"))


def fold(text: str) -> str:
    return " ".join(text.split())
