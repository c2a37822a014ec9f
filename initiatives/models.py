"""The plan as data: plan, strategic areas, programmes, tasks and what the plan says of them.

Every fact loaded from the plan keeps the sentence it came from in ``source_text`` (원문).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Plan(models.Model):
    year = models.PositiveSmallIntegerField("연도", unique=True)
    title = models.CharField("계획명", max_length=200)
    document_number = models.CharField("문서번호", max_length=50)
    approved_on = models.DateField("결재일자")
    source_text = models.TextField("원문", blank=True)

    class Meta:
        verbose_name = "실행계획"
        verbose_name_plural = "실행계획"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class StrategicArea(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strategic_areas", verbose_name="실행계획")
    number = models.PositiveSmallIntegerField("번호")
    title = models.CharField("추진방안", max_length=200)
    source_text = models.TextField("원문", blank=True)

    class Meta:
        verbose_name = "추진방안(전략)"
        verbose_name_plural = "추진방안(전략)"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_area_number_per_plan")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Programme(models.Model):
    strategic_area = models.ForeignKey(
        StrategicArea, on_delete=models.CASCADE, related_name="programmes", verbose_name="추진방안"
    )
    number = models.PositiveSmallIntegerField("번호")
    title = models.CharField("중점 추진과제", max_length=200)
    chapter_heading = models.CharField(
        "본문(Ⅳ장) 제목", max_length=200, blank=True, help_text="Ⅳ장 본문의 제목이 표와 다르게 인쇄된 경우"
    )
    source_text = models.TextField("원문", blank=True)

    class Meta:
        verbose_name = "중점 추진과제"
        verbose_name_plural = "중점 추진과제"
        ordering = ["strategic_area__plan", "strategic_area__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategic_area", "number"], name="unique_programme_number_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.strategic_area.number}-{self.number}. {self.title}"

    @property
    def code(self) -> str:
        return f"{self.strategic_area.number}-{self.number}"


class Department(models.Model):
    name = models.CharField("부서명", max_length=100, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="departments", blank=True, verbose_name="소속 담당자"
    )
    # Told when the department's report is long overdue; unset, the member named as a task's 과제담당관 is.
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="부서장(과장)",
    )

    class Meta:
        verbose_name = "주관부서"
        verbose_name_plural = "주관부서"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("initiatives:department-detail", args=[self.pk])


class Agency(models.Model):
    name = models.CharField("기관명", max_length=100, unique=True)

    class Meta:
        verbose_name = "협업기관"
        verbose_name_plural = "협업기관"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """A representative task (대표과제) of the plan's annex, 연번 1–16 in 2017."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name="실행계획")
    # RESTRICT, not PROTECT: deleting a whole plan may take its programmes with its tasks.
    programme = models.ForeignKey(
        Programme, on_delete=models.RESTRICT, related_name="tasks", verbose_name="중점 추진과제"
    )
    number = models.PositiveSmallIntegerField("연번")
    title = models.CharField("과제명", max_length=200)
    source_text = models.TextField("원문", blank=True)
    placement_note = models.TextField("배치 근거", blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="tasks", verbose_name="주관부서")
    agencies = models.ManyToManyField(
        Agency, through="TaskAgency", related_name="tasks", blank=True, verbose_name="관련 협업기관"
    )
    agencies_text = models.TextField("협업기관 원문", blank=True)
    manager_name = models.CharField("과제담당관", max_length=50, blank=True)
    manager_title = models.CharField("과제담당관 직위", max_length=50, blank=True)
    officer_name = models.CharField("담당자", max_length=50, blank=True)
    officer_title = models.CharField("담당자 직위", max_length=50, blank=True)
    phone = models.CharField("연락처", max_length=30, blank=True)
    people_source_text = models.TextField("담당자 원문", blank=True)
    background = models.TextField("추진 배경", blank=True)
    service_demand = models.TextField("서비스 수요 및 고객 대상", blank=True)
    goals = models.TextField("과제 목표 및 주요 내용", blank=True)

    class Meta:
        verbose_name = "대표과제"
        verbose_name_plural = "대표과제"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_task_number_per_plan")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("initiatives:task-detail", args=[self.pk])


class TaskAgency(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="task_agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="task_agencies", verbose_name="기관")
    order = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        verbose_name = "관련 협업기관"
        verbose_name_plural = "관련 협업기관"
        ordering = ["task", "order"]
        constraints = [models.UniqueConstraint(fields=["task", "agency"], name="unique_agency_per_task")]

    def __str__(self) -> str:
        return str(self.agency)


class Milestone(models.Model):
    """A dated schedule item (추진일정); start/end at month precision, stored as the 1st."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones", verbose_name="과제")
    order = models.PositiveSmallIntegerField("순서", default=0)
    title = models.TextField("내용")
    date_text = models.CharField("일정(원문)", max_length=100)
    start = models.DateField("시작 월")
    end = models.DateField("종료 월", null=True, blank=True, help_text="비어 있으면 종료 시점 미정(계속)")
    section = models.CharField("구분", max_length=200, blank=True)
    source_text = models.TextField("원문", blank=True)
    note = models.TextField("해석 메모", blank=True)

    class Meta:
        verbose_name = "추진일정"
        verbose_name_plural = "추진일정"
        ordering = ["task", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "order"], name="unique_milestone_order_per_task"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="milestone_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date_text} {self.title}"


class Indicator(models.Model):
    """A performance indicator (성과지표) with the target the plan states for a year."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="indicators", verbose_name="과제")
    order = models.PositiveSmallIntegerField("순서", default=0)
    name = models.CharField("지표명", max_length=200)
    unit = models.CharField("단위", max_length=20)
    target = models.DecimalField("목표", max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField("목표 연도")
    baseline = models.DecimalField("기준값", max_digits=14, decimal_places=2, null=True, blank=True)
    cumulative = models.BooleanField("누적 지표", default=False)
    higher_is_better = models.BooleanField("높을수록 좋음", default=True)
    source_text = models.TextField("원문", blank=True)
    note = models.TextField("해석 메모", blank=True)

    class Meta:
        verbose_name = "성과지표"
        verbose_name_plural = "성과지표"
        ordering = ["task", "order"]
        constraints = [models.UniqueConstraint(fields=["task", "order"], name="unique_indicator_order_per_task")]

    def __str__(self) -> str:
        return self.name


class IndicatorTargetChange(models.Model):
    """A governed change of an indicator's target: who, when, why, from what to what."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="target_changes", verbose_name="성과지표"
    )
    old_target = models.DecimalField("이전 목표", max_digits=14, decimal_places=2)
    new_target = models.DecimalField("새 목표", max_digits=14, decimal_places=2)
    reason = models.TextField("변경 사유")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="변경자"
    )
    changed_at = models.DateTimeField("변경 일시")

    class Meta:
        verbose_name = "목표 변경 이력"
        verbose_name_plural = "목표 변경 이력"
        ordering = ["indicator", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.old_target} → {self.new_target}"
