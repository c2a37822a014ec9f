"""The schedule (/dashboard/schedule/): the plan year, filters, months by the task page's rule, planned against
actual, late items marked, status colours."""

import datetime

import pytest

from initiatives.models import Department, Milestone, Programme
from reports.evaluation.charts import STATUS_COLOURS
from reports.models import ReportingPeriod, TaskAssessment, TaskStatus
from reports.progress import rules, services
from tests.conftest import complete_data
from tests.factories import make_task

DAY_MS = 86_400_000


def schedule(client, query: str = "") -> dict:
    """The schedule chart's spec and table as the page sends them (None when nothing is drawn)."""
    response = client.get(f"/dashboard/schedule/{query}")
    assert response.status_code == 200
    charts = response.context["charts"]
    return charts[0] if charts else None


def bars(chart, name_starts: str) -> dict[str, tuple[str, int]]:
    """Row label (whitespace folded) → (base, duration in ms) of the bars of the traces named ``name_starts``…"""
    layout = chart.spec["layout"]["yaxis"]
    labels = {y: "".join(text.replace("<br>", "").split()) for y, text in zip(layout["tickvals"], layout["ticktext"])}
    found = {}
    for trace in chart.spec["data"]:
        if trace["type"] == "bar" and trace["name"].startswith(name_starts):
            for y, base, x in zip(trace["y"], trace["base"], trace["x"]):
                found[labels[y]] = (base, x)
    return found


def label(milestone: Milestone) -> str:
    return "".join(f"{milestone.task.number}. {milestone.date_text} {milestone.title}".split())


def months_of(base: str, duration_ms: int) -> list[bool]:
    """The months of 2017 a bar from ``base`` lasting ``duration_ms`` covers."""
    first = datetime.date.fromisoformat(base[:10])
    last = first + datetime.timedelta(days=duration_ms // DAY_MS - 1)
    return [first.month <= m <= last.month and first.year == 2017 for m in range(1, 13)]


@pytest.mark.django_db
def test_the_schedule_shows_the_plan_year_by_default(client, reviewer, plan):
    client.force_login(reviewer)
    chart = schedule(client)
    assert chart.spec["layout"]["xaxis"]["range"] == ["2017-01-01", "2017-12-31 23:59"]
    assert chart.title.startswith("2017년 추진일정")
    for base, duration in bars(chart, "계획").values():
        start = datetime.date.fromisoformat(base[:10])
        assert datetime.date(2017, 1, 1) <= start
        assert start + datetime.timedelta(days=duration // DAY_MS) <= datetime.date(2018, 1, 1)
    # the '18년 item is not of 2017; every 2017 milestone of every task is
    drawn = bars(chart, "계획")
    assert label(Milestone.objects.get(date_text="’18년")) not in drawn
    assert (
        len(drawn)
        == Milestone.objects.filter(task__plan=plan, start__year__lte=2017).exclude(end__year__lt=2017).count()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("date_text", ["14.2~", "’16.12월 ~ ’17.3월(4개월)", "’17. 하반기"])
def test_an_open_ended_or_multi_year_item_covers_the_same_months_as_on_the_task_page(client, reviewer, date_text):
    milestone = Milestone.objects.select_related("task").get(date_text=date_text)
    task_page = client.get(f"/tasks/{milestone.task_id}/")
    covered = dict(task_page.context["milestones"])[milestone]
    task_chart = task_page.context["gantt"]
    on_task_page = bars(task_chart, "계획")["".join(f"{milestone.date_text} {milestone.title}".split())]
    client.force_login(reviewer)
    on_schedule = bars(schedule(client), "계획")[label(milestone)]
    assert months_of(*on_schedule) == months_of(*on_task_page) == covered
    assert any(covered)


@pytest.fixture
def task6_q2(plan, periods, officer):
    """Task 6's Q2 report, submitted: ’16.12~’17.3 done on 14 April, ’17.2~4 still running since 1 February."""
    ReportingPeriod.objects.filter(pk__in=[periods[0].pk, periods[1].pk]).update(state="open")
    periods[1].refresh_from_db()
    task = plan.tasks.get(number=6)
    report = services.report_start(task=task, period=periods[1], user=officer)
    data = complete_data(report)
    progress = {p.milestone.date_text: p for p in report.milestone_progress.select_related("milestone")}
    data["milestone_progress"][progress["’16.12월 ~ ’17.3월(4개월)"].pk].update(
        status="done",
        actual_start=datetime.date(2017, 1, 2),
        actual_end=datetime.date(2017, 4, 14),
        delay_reason="용역 지연",
    )
    data["milestone_progress"][progress["’17.2월 ~ 4월"].pk].update(
        status="in_progress", actual_start=datetime.date(2017, 2, 1), delay_reason="계약 지연"
    )
    for date_text in ("’17.5월 ~ 10월", "’17. 하반기", "’17년"):
        data["milestone_progress"][progress[date_text].pk].update(status="planned")
    return services.report_submit(report=report, user=officer, version=report.version, data=data)


def row(chart, milestone: Milestone) -> list:
    (found,) = [r for r in chart.rows if "".join(r[0].split()) == label(milestone)]
    return found


@pytest.mark.django_db
def test_planned_and_actual_bars_come_from_the_plan_and_the_counted_report(client, reviewer, task6_q2):
    client.force_login(reviewer)
    chart = schedule(client, "?quarter=2")
    planned, actual = bars(chart, "계획"), bars(chart, "실적")
    done = Milestone.objects.select_related("task").get(date_text="’16.12월 ~ ’17.3월(4개월)")
    running = Milestone.objects.select_related("task").get(date_text="’17.2월 ~ 4월")
    assert months_of(*planned[label(done)]) == [m <= 3 for m in range(1, 13)]
    assert actual[label(done)] == ("2017-01-02", 103 * DAY_MS)  # 2 January to 14 April, both counted
    assert actual[label(running)] == ("2017-02-01", 150 * DAY_MS)  # to 30 June, the day Q2 is judged at
    not_started = Milestone.objects.select_related("task").get(date_text="’17.5월 ~ 10월")
    assert label(not_started) in planned and label(not_started) not in actual
    assert row(chart, done)[2] == "완료 (2017-01-02 ~ 2017-04-14)"
    assert row(chart, running)[2] == "진행중 (6월 30일 기준) (2017-02-01 ~ 2017-06-30)"
    # in Q1 no report of task 6 counts yet: planned bars only, and the table says so
    chart = schedule(client, "?quarter=1")
    assert label(done) not in bars(chart, "실적") and row(chart, done)[2] == "보고 없음"


@pytest.mark.django_db
def test_late_items_are_marked_by_the_one_lateness_rule(client, reviewer, task6_q2):
    client.force_login(reviewer)
    chart = schedule(client, "?quarter=2")
    as_of = datetime.date(2017, 6, 30)
    marks = [t for t in chart.spec["data"] if t["name"] == "지연"]
    (mark,) = marks
    layout = chart.spec["layout"]["yaxis"]
    labels = dict(zip(layout["tickvals"], layout["ticktext"]))
    marked = {"".join(labels[y].replace("<br>", "").split()) for y in mark["y"]}
    expected = set()
    for progress in task6_q2.milestone_progress.select_related("milestone__task"):
        m = progress.milestone
        facts = {"planned_end": m.end, "status": progress.status, "actual_end": progress.actual_end, "as_of": as_of}
        days = rules.milestone_days_late(**facts)
        assert row(chart, m)[4] == (f"지연 {days}일" if days else "–")
        if rules.milestone_is_late(**facts):
            expected.add(label(m))
    assert marked == expected and len(expected) == 2  # finished 14 days late; running 61 days past April


@pytest.mark.django_db
def test_planned_bars_take_their_task_status_colour(client, reviewer, task6_q2):
    client.force_login(reviewer)
    chart = schedule(client, "?quarter=2")
    statuses = dict(TaskAssessment.objects.filter(period__quarter=2).values_list("task__number", "status"))
    layout = chart.spec["layout"]["yaxis"]
    labels = dict(zip(layout["tickvals"], layout["ticktext"]))
    for trace in chart.spec["data"]:
        if trace["type"] == "bar" and trace["name"].startswith("계획"):
            status = TaskStatus(next(s for s in TaskStatus if trace["name"] == f"계획 · {s.label}"))
            assert trace["marker"]["color"] == STATUS_COLOURS[status]
            for y in trace["y"]:
                assert statuses[int(labels[y].split(".")[0])] == status
    assert statuses[6] != TaskStatus.UNDETERMINED  # task 6 is judged on its report, others cannot be


@pytest.mark.django_db
def test_filters_narrow_the_rows(client, reviewer, plan, task6_q2):
    client.force_login(reviewer)
    department = Department.objects.get(name="자치행정과")
    numbers = {int(r[0].split(".")[0]) for r in schedule(client, f"?quarter=2&department={department.pk}").rows}
    assert numbers == {6, 15}
    other_area = Programme.objects.filter(strategic_area__plan=plan, strategic_area__number=2).first()
    make_task(plan=plan, number=17, programme=other_area)  # the plan's 16 tasks are all of area 1
    numbers = {
        int(r[0].split(".")[0]) for r in schedule(client, f"?quarter=2&area={other_area.strategic_area_id}").rows
    }
    assert numbers == {17}
    status = TaskAssessment.objects.get(task__number=6, period__quarter=2).status
    numbers = {int(r[0].split(".")[0]) for r in schedule(client, f"?quarter=2&status={status}").rows}
    assert numbers == {6}
    html = client.get(f"/dashboard/schedule/?quarter=2&area={other_area.strategic_area_id}&status={status}").content
    assert "조건에 맞는 일정이 없습니다." in html.decode()
