"""Particles follow the word: one rule (gov30.korean.with_particle), no "을(를)" or "(으)로" in messages."""

import subprocess

import pytest
from django.conf import settings

from gov30.korean import with_particle


@pytest.mark.parametrize(
    "word, particle, expected",
    [
        ("확정", "으로", "확정으로"),  # final ㅇ
        ("진행", "으로", "진행으로"),
        ("마감", "으로", "마감으로"),
        ("예정", "을", "예정을"),
        ("보고서", "을", "보고서를"),  # no final consonant
        ("서울", "으로", "서울로"),  # final ㄹ takes 로
        ("과제", "이", "과제가"),
        ("'주요 추진실적'", "을", "'주요 추진실적'을"),  # a closing quote is looked through
        ("'향후 계획'", "을", "'향후 계획'을"),
        ("번호 3", "이", "번호 3이"),  # 삼
        ("번호 2", "이", "번호 2가"),  # 이
        ("중점 추진과제 1", "이", "중점 추진과제 1이"),  # 일
        ("부서", "은", "부서는"),
        ("지표", "과", "지표와"),
    ],
)
def test_particle_follows_the_last_syllable(word, particle, expected):
    assert with_particle(word, particle) == expected


def test_no_message_writes_both_particles():
    found = subprocess.run(
        ["grep", "-rnE", r"을\(를\)|이\(가\)|\(으\)로|을/를|이/가", "gov30", "initiatives", "budgets", "reports", "templates",
         "--include=*.py", "--include=*.html", "--include=*.js"],
        cwd=settings.BASE_DIR, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert not [line for line in found.splitlines() if "gov30/korean.py" not in line], found


@pytest.mark.django_db
def test_period_buttons_and_messages_use_the_chosen_particle(client, reviewer, periods):
    client.force_login(reviewer)
    page = client.get("/periods/").content.decode()
    assert "진행으로</button>" in page and "(으)로" not in page


@pytest.mark.django_db
def test_invalid_choice_message_names_no_particle(client):
    page = client.get("/tasks/", {"non_budget": "true"}).content.decode()
    assert "이/가" not in page and "선택할 수 있는 항목이 아닙니다" in page
