"""The loaded plan says what the 2017 plan text says: counts, places, people, phones."""

import pytest

from initiatives.models import Indicator, Milestone, Plan, Programme, StrategicArea, Task
from tests.conftest import fold

# (number, department, manager, officer, phone) as printed in the plan's annex.
PEOPLE = [
    (1, "가족담당관", ("김명주", "과장"), ("윤지원", "주무관"), "02-2133-5176"),
    (2, "일자리정책담당관", ("정진우", "과장"), ("문혜영", "주무관"), "02-2133-5459"),
    (3, "통계데이터담당관", ("안정준", "과장"), ("이나리", "주무관"), "02-2133-4266"),
    (4, "건강증진과", ("박경옥", "과장"), ("김유빈", "주무관"), "02-2133-7587"),
    (5, "공원녹지정책과", ("최윤종", "과장"), ("박진영", "주무관"), "02-2133-2026"),
    (6, "자치행정과", ("임동국", "과장"), ("나홍주", "주무관"), "02-2133-5846"),
    (7, "문화본부 서울도서관 도서관정책과", ("박수정", "과장"), ("김윤진", "주무관"), "02-2133-0223"),
    (8, "정보기획담당관", ("이기완", "과장"), ("이연미", "주무관"), "02-2133-2943"),
    (9, "재무과", ("김윤규", "과장"), ("신현민", "주무관"), "02-2133-3226"),
    (10, "장애인복지정책과", ("이동수", "과장"), ("김혜진", "주무관"), "02-2133-7445"),
    (11, "문화정책과", ("박대우", "과장"), ("이현", "주무관"), "02-2133-2548"),
    (12, "세제과", None, ("김병철", "주무관 (세무 6급)"), "02-2133-3354"),
    (13, "주차계획과", ("윤보영", "과장"), ("이종운", "주무관"), "02-2133-2356"),
    (14, "신속행정담당관", ("김영란", "과장"), ("백미경", "주무관"), "02-2133-4251"),
    (15, "자치행정과", ("유보화", "과장"), ("김성훈", "주무관"), "02-2133-5834"),
    (16, "대기관리과", ("이인근", "과장"), ("최용석", "환경연구사"), "02-2133-3669"),
]


def test_plan_identity(plan):
    assert (plan.title, plan.document_number, plan.approved_on.isoformat()) == (
        "2017년도 서울시 정부3.0 실행계획",
        "정보기획담당관-1768",
        "2017-02-02",
    )


def test_counts_of_areas_programmes_tasks(plan):
    assert StrategicArea.objects.filter(plan=plan).count() == 5
    assert Programme.objects.filter(strategic_area__plan=plan).count() == 13
    assert Task.objects.filter(plan=plan).count() == 16
    per_area = [a.programmes.count() for a in StrategicArea.objects.filter(plan=plan).order_by("number")]
    assert per_area == [3, 3, 3, 2, 2]


@pytest.mark.parametrize("number,department,manager,officer,phone", PEOPLE)
def test_task_department_people_and_phone(plan, number, department, manager, officer, phone):
    task = Task.objects.get(plan=plan, number=number)
    assert task.department.name == department
    assert ((task.manager_name, task.manager_title) if task.manager_name else None) == manager
    assert (task.officer_name, task.officer_title) == officer
    assert task.phone == phone


def test_tasks_14_and_15_sit_under_the_outreach_programme(plan):
    places = {t.number: (t.programme.strategic_area.number, t.programme.number) for t in Task.objects.filter(plan=plan)}
    assert {n for n, place in places.items() if place == (1, 2)} == {14, 15}
    assert {n for n, place in places.items() if place == (1, 1)} == set(range(1, 14)) | {16}


def test_only_tasks_4_and_8_have_no_dated_schedule_and_the_outreach_target_is_loaded(plan):
    # Task 4 prints no schedule at all ("2. 소요예산 ○ 비예산" follows its goals); task 8 prints one without dates.
    without = set(Task.objects.filter(plan=plan, milestones__isnull=True).values_list("number", flat=True))
    assert without == {4, 8}
    target = Indicator.objects.get(task__number=15, unit="동", target=342)
    assert target.year == 2017


def test_every_source_text_occurs_in_the_plan(plan, seed_text):
    texts = [("plan", plan.source_text)]
    texts += [(f"area {a}", a.source_text) for a in StrategicArea.objects.filter(plan=plan)]
    texts += [(f"programme {p}", p.source_text) for p in Programme.objects.filter(strategic_area__plan=plan)]
    for task in Task.objects.filter(plan=plan).select_related("budget_table"):
        texts += [
            (f"task {task.number} {field}", getattr(task, field))
            for field in ("source_text", "agencies_text", "people_source_text", "background", "service_demand", "goals")
        ]
        texts += [
            (f"task {task.number} budget line {line.name}", line.source_text) for line in task.budget_table.lines.all()
        ]
        texts.append((f"task {task.number} budget header", task.budget_table.header_source_text))
        texts.append((f"task {task.number} total row", task.budget_table.total_row_source_text))
    texts += [(f"milestone {m.pk}", m.source_text) for m in Milestone.objects.filter(task__plan=plan)]
    texts += [(f"milestone date {m.pk}", m.date_text) for m in Milestone.objects.filter(task__plan=plan)]
    texts += [(f"indicator {i.name}", i.source_text) for i in Indicator.objects.filter(task__plan=plan)]
    missing = [where for where, text in texts if text and fold(text) not in seed_text]
    assert missing == []


def test_plan_title_text_is_not_corrected(plan):
    # The plan prints "One-Govermment"; the portal keeps the typo.
    assert Programme.objects.filter(title__contains="One-Govermment").exists()
    assert Plan.objects.count() == 1
