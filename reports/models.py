"""Quarterly progress: reporting periods, reports and their parts, history, exceptions, evidence.

Rules (who may do what, when, and what a transition does) live in ``reports.progress.rules``,
``reports.progress.permissions`` and ``reports.progress.services``; these models hold data and small invariants.
"""

import uuid

from django.conf import settings
from django.db import models

from budgets.models import BudgetLine
from initiatives.models import Indicator, Milestone, Plan, Task


class ReportingPeriod(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", "예정"
        OPEN = "open", "진행"
        CLOSED = "closed", "마감"
        LOCKED = "locked", "확정"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods", verbose_name="실행계획")
    quarter = models.PositiveSmallIntegerField("분기", choices=[(q, f"{q}분기") for q in range(1, 5)])
    opens_on = models.DateField("시작일")
    due_on = models.DateField("제출 기한")
    state = models.CharField("상태", max_length=10, choices=State.choices, default=State.SCHEDULED)

    class Meta:
        verbose_name = "보고 분기"
        verbose_name_plural = "보고 분기"
        ordering = ["plan", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "quarter"], name="unique_quarter_per_plan"),
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("opens_on")), name="due_after_open"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.year}년 {self.quarter}분기"

    @property
    def has_started(self) -> bool:
        """Opened by the planning office (예정 no longer): only then can its report be overdue."""
        return self.state != self.State.SCHEDULED


class ProgressReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "작성중"
        SUBMITTED = "submitted", "제출"
        RETURNED = "returned", "반려"
        APPROVED = "approved", "승인"

    class SelfAssessment(models.TextChoices):
        ON_TRACK = "on_track", "정상"
        AT_RISK = "at_risk", "주의"
        DELAYED = "delayed", "지연"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports", verbose_name="과제")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="reports", verbose_name="보고 분기"
    )
    status = models.CharField("상태", max_length=10, choices=Status.choices, default=Status.DRAFT)
    achievements = models.TextField("주요 추진실적", blank=True)
    problems = models.TextField("문제점 및 대책", blank=True)
    next_steps = models.TextField("향후 계획", blank=True)
    self_assessment = models.CharField("자체 진단", max_length=10, choices=SelfAssessment.choices, blank=True)
    # Lost-update guard: every save is a conditional UPDATE on this number.
    version = models.PositiveIntegerField("버전", default=1)
    is_sample = models.BooleanField("예시 자료", default=False)
    created_at = models.DateTimeField("작성 시작", auto_now_add=True)
    updated_at = models.DateTimeField("최종 저장", auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="제출자",
    )
    submitted_at = models.DateTimeField("제출 일시", null=True, blank=True)
    first_submitted_at = models.DateTimeField("최초 제출 일시", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="반려자",
    )
    returned_at = models.DateTimeField("반려 일시", null=True, blank=True)
    return_comment = models.TextField("반려 의견", blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="승인자",
    )
    approved_at = models.DateTimeField("승인 일시", null=True, blank=True)

    class Meta:
        verbose_name = "분기 실적 보고"
        verbose_name_plural = "분기 실적 보고"
        ordering = ["period", "task__number"]
        constraints = [models.UniqueConstraint(fields=["task", "period"], name="unique_report_per_task_period")]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.task} — {self.period}"


class IndicatorResult(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="indicator_results")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="results", verbose_name="지표")
    actual = models.DecimalField("실적", max_digits=14, decimal_places=2, null=True, blank=True)
    comment = models.TextField("설명", blank=True)

    class Meta:
        verbose_name = "지표 실적"
        verbose_name_plural = "지표 실적"
        ordering = ["report", "indicator__order"]
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="unique_result_per_indicator")]


class MilestoneProgress(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "예정"
        IN_PROGRESS = "in_progress", "진행중"
        DONE = "done", "완료"
        LATE = "late", "지연"
        CANCELLED = "cancelled", "취소"

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="milestone_progress")
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="progress", verbose_name="추진일정")
    status = models.CharField("진행 상태", max_length=12, choices=Status.choices, default=Status.PLANNED)
    actual_start = models.DateField("실제 시작일", null=True, blank=True)
    actual_end = models.DateField("실제 완료일", null=True, blank=True)
    delay_reason = models.TextField("지연 사유", blank=True)

    class Meta:
        verbose_name = "일정 진행"
        verbose_name_plural = "일정 진행"
        ordering = ["report", "milestone__order"]
        constraints = [models.UniqueConstraint(fields=["report", "milestone"], name="unique_progress_per_milestone")]


class BudgetExecution(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="budget_executions")
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="executions", verbose_name="사업내용"
    )
    spent_to_date = models.BigIntegerField("지출액 누계(백만원)", null=True, blank=True)
    explanation = models.TextField("초과·부진 사유", blank=True)

    class Meta:
        verbose_name = "예산 집행"
        verbose_name_plural = "예산 집행"
        ordering = ["report", "budget_line__order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "budget_line"], name="unique_execution_per_line"),
            models.CheckConstraint(
                condition=models.Q(spent_to_date__isnull=True) | models.Q(spent_to_date__gte=0),
                name="spent_not_negative",
            ),
        ]


class LateChangeException(models.Model):
    """Permission, granted by the planning office with a reason, to change a report of a closed quarter."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="exceptions")
    reason = models.TextField("예외 사유")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="승인자"
    )
    granted_at = models.DateTimeField("승인 일시")
    revoked_at = models.DateTimeField("종료 일시", null=True, blank=True)

    class Meta:
        verbose_name = "마감 후 수정 예외"
        verbose_name_plural = "마감 후 수정 예외"
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.report}: {self.reason[:30]}"


class ReportEvent(models.Model):
    """One entry of a report's history: a save, a transition (with every changed value) or a comment of the
    report's discussion."""

    class Action(models.TextChoices):
        CREATE = "create", "작성 시작"
        SAVE = "save", "저장"
        SUBMIT = "submit", "제출"
        RETURN = "return", "반려"
        APPROVE = "approve", "승인"
        REOPEN = "reopen", "재개"
        EXCEPTION = "exception", "마감 후 수정 허용"
        EVIDENCE = "evidence", "증빙 첨부"
        COMMENT = "comment", "의견"

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("구분", max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="처리자"
    )
    at = models.DateTimeField("일시")
    from_status = models.CharField("이전 상태", max_length=10, blank=True)
    to_status = models.CharField("이후 상태", max_length=10, blank=True)
    comment = models.TextField("의견·사유", blank=True)
    # [{"field": "...", "label": "...", "old": "...", "new": "..."}]
    changes = models.JSONField("변경 내용", default=list, blank=True)
    exception = models.ForeignKey(
        LateChangeException,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="적용 예외",
    )

    class Meta:
        verbose_name = "보고 이력"
        verbose_name_plural = "보고 이력"
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    # Never build a stored path from the uploaded name; the name is kept only for display.
    return f"evidence/{uuid.uuid4().hex}"


class Evidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("종류", max_length=50)
    file = models.FileField("파일", upload_to=evidence_upload_to)
    original_name = models.CharField("원래 파일명", max_length=255)
    size = models.PositiveBigIntegerField("크기(바이트)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="첨부자"
    )
    uploaded_at = models.DateTimeField("첨부 일시")

    class Meta:
        verbose_name = "증빙 파일"
        verbose_name_plural = "증빙 파일"
        ordering = ["report", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ScoringWeights(models.Model):
    """A version of the evaluation weights (percent, summing to 100). Changing them makes a new version."""

    version = models.PositiveIntegerField("버전", unique=True)
    indicator = models.PositiveSmallIntegerField("성과지표 가중치(%)")
    milestone = models.PositiveSmallIntegerField("추진일정 가중치(%)")
    budget = models.PositiveSmallIntegerField("예산 집행 가중치(%)")
    timeliness = models.PositiveSmallIntegerField("보고 적시성 가중치(%)")
    rollup_by_budget = models.BooleanField(
        "예산 비례 합산",
        default=False,
        help_text="중점과제·추진방안·부서 합산 때 과제를 올해 예산에 비례해 가중(아니면 동일 가중)",
    )
    note = models.TextField("변경 사유", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="설정자",
    )
    created_at = models.DateTimeField("설정 일시", auto_now_add=True)

    class Meta:
        verbose_name = "평가 가중치"
        verbose_name_plural = "평가 가중치"
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(indicator__lte=100, milestone__lte=100, budget__lte=100, timeliness__lte=100),
                name="weights_at_most_100",
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} (지표 {self.indicator} · 일정 {self.milestone} · 예산 {self.budget} · 적시성 {self.timeliness})"

    def as_dict(self) -> dict[str, int]:
        return {
            "indicator": self.indicator,
            "milestone": self.milestone,
            "budget": self.budget,
            "timeliness": self.timeliness,
        }


class Evaluation(models.Model):
    """The annual performance evaluation (추진실적 평가) of a plan year."""

    class Status(models.TextChoices):
        DRAFT = "draft", "작성중"
        FINAL = "final", "확정"

    plan = models.OneToOneField(Plan, on_delete=models.PROTECT, related_name="evaluation", verbose_name="실행계획")
    weights = models.ForeignKey(ScoringWeights, on_delete=models.PROTECT, related_name="+", verbose_name="가중치")
    status = models.CharField("상태", max_length=10, choices=Status.choices, default=Status.DRAFT)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="실행자"
    )
    run_at = models.DateTimeField("실행 일시")
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="확정자",
    )
    finalised_at = models.DateTimeField("확정 일시", null=True, blank=True)

    class Meta:
        verbose_name = "추진실적 평가"
        verbose_name_plural = "추진실적 평가"

    def __str__(self) -> str:
        return f"{self.plan.year}년 추진실적 평가"


class TaskScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="scores", verbose_name="과제")
    indicator_score = models.DecimalField("성과지표 점수", max_digits=6, decimal_places=2, null=True, blank=True)
    milestone_score = models.DecimalField("추진일정 점수", max_digits=6, decimal_places=2, null=True, blank=True)
    budget_score = models.DecimalField("예산 집행 점수", max_digits=6, decimal_places=2, null=True, blank=True)
    timeliness_score = models.DecimalField("보고 적시성 점수", max_digits=6, decimal_places=2, null=True, blank=True)
    computed_total = models.DecimalField("산출 점수", max_digits=6, decimal_places=2, null=True, blank=True)
    adjusted_total = models.DecimalField("조정 점수", max_digits=6, decimal_places=2, null=True, blank=True)
    adjustment_reason = models.TextField("조정 사유", blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="조정자",
    )
    adjusted_at = models.DateTimeField("조정 일시", null=True, blank=True)
    grade = models.CharField("등급", max_length=2, blank=True)
    # Where every number came from: reports, values, targets, rules and the weights version.
    provenance = models.JSONField("산출 근거", default=dict)

    class Meta:
        verbose_name = "과제별 평가 점수"
        verbose_name_plural = "과제별 평가 점수"
        ordering = ["evaluation", "task__number"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "task"], name="unique_score_per_task")]

    @property
    def total(self):
        return self.adjusted_total if self.adjusted_total is not None else self.computed_total


class TaskStatus(models.TextChoices):
    """A task's computed status for a quarter (진단), and the words every page, chart and sheet shows."""

    ON_TRACK = "on_track", "정상"
    ATTENTION = "attention", "주의"
    DELAYED = "delayed", "지연"
    UNDETERMINED = "undetermined", "판단 불가"


class TaskAssessment(models.Model):
    """A task's assessment for one quarter from its submitted and approved reports, stored so that
    dashboards read one row per task.

    A row is current while ``revision`` equals the task's (``TaskRevision``) and, for a quarter judged at an earlier
    date than its end, while that date is today (``valid_until``); ``reports.evaluation.assessments`` keeps it so.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assessments", verbose_name="과제")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+", verbose_name="분기")
    revision = models.PositiveIntegerField("과제 판")
    as_of = models.DateField("판단 기준일")
    valid_until = models.DateField("유효 기한", null=True, blank=True)
    status = models.CharField("진단", max_length=12, choices=TaskStatus.choices)
    explanation = models.TextField("진단 사유")
    indicator = models.DecimalField("지표", max_digits=10, decimal_places=4, null=True)
    milestone = models.DecimalField("일정", max_digits=10, decimal_places=4, null=True)
    budget = models.DecimalField("예산", max_digits=10, decimal_places=4, null=True)
    timeliness = models.DecimalField("적시성", max_digits=10, decimal_places=4, null=True)
    # The task's total by the weights of ``weights_version`` (re-totalled, not re-judged, when they change).
    total = models.DecimalField("종합 점수", max_digits=6, decimal_places=2, null=True)
    weights_version = models.PositiveIntegerField("가중치 버전")
    available = models.BigIntegerField("예산현액", null=True)
    spent = models.BigIntegerField("지출액 누계", null=True)
    rate_spent = models.BigIntegerField("집행률 분자", null=True)
    rate_available = models.BigIntegerField("집행률 분모", null=True)
    execution_rate = models.DecimalField("집행률", max_digits=10, decimal_places=4, null=True)
    # The plan's year column the task's spending belongs to (the budget chart's bar).
    column_to_year = models.PositiveSmallIntegerField("집행 연도 열(끝)")
    column_from_year = models.PositiveSmallIntegerField("집행 연도 열(시작)")
    column_label = models.CharField("집행 연도 열", max_length=50)
    report = models.ForeignKey(ProgressReport, on_delete=models.SET_NULL, null=True, related_name="+")
    report_quarter = models.PositiveSmallIntegerField("보고 분기", null=True)
    # The quarter's own report, in any state ("" when none): the submission completeness chart.
    own_report_status = models.CharField("이 분기 보고 상태", max_length=10, blank=True)
    report_status = models.CharField("보고 상태", max_length=10, choices=ProgressReport.Status.choices, blank=True)
    self_assessment = models.CharField(
        "자체 진단", max_length=10, choices=ProgressReport.SelfAssessment.choices, blank=True
    )
    is_sample = models.BooleanField("예시 자료", default=False)
    submissions_due = models.PositiveSmallIntegerField("기한 지난 분기", default=0)
    submissions_on_time = models.PositiveSmallIntegerField("기한 내 제출", default=0)
    returns = models.PositiveSmallIntegerField("반려", default=0)

    class Meta:
        verbose_name = "과제 분기 진단(저장)"
        verbose_name_plural = "과제 분기 진단(저장)"
        constraints = [models.UniqueConstraint(fields=["task", "period"], name="unique_assessment_per_task_quarter")]


class TaskRevision(models.Model):
    """How many times anything a task's stored assessments read has changed; a task without a row is at 0.

    Kept here, not on ``Task``: only reporting reads it. ``reports.progress.services.tasks_changed`` bumps it.
    """

    task = models.OneToOneField(
        Task, on_delete=models.CASCADE, primary_key=True, related_name="assessment_revision", verbose_name="과제"
    )
    revision = models.PositiveIntegerField("평가 산출 판", default=0)

    class Meta:
        verbose_name = "과제 평가 산출 판"
        verbose_name_plural = "과제 평가 산출 판"


class Notification(models.Model):
    """One thing a person is told, in the portal and by mail. Kept once per (person, key), the key naming what it is
    about and its day, so that the reminder job may run on several workers and after restarts and still tell
    nobody twice; its mail is sent by claiming the row, and a failed sending is kept for a later attempt."""

    class Kind(models.TextChoices):
        OPENED = "opened", "분기 보고 시작"
        DUE_SOON = "due_soon", "제출 기한 임박"
        OVERDUE = "overdue", "제출 기한 경과"
        ESCALATED = "escalated", "장기 미제출 (부서장 통보)"
        SUBMITTED = "submitted", "검토 요청"
        RETURNED = "returned", "보고 반려"
        APPROVED = "approved", "보고 승인"
        COMMENT = "comment", "새 의견"
        DIGEST = "digest", "검토 대기 요약"
        REOPENED = "reopened", "승인 보고 재개"
        JOB_DONE = "job_done", "요청한 작업 완료"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="받는 사람"
    )
    kind = models.CharField("종류", max_length=12, choices=Kind.choices)
    key = models.CharField("구분 키", max_length=80)
    subject = models.CharField("제목", max_length=200)
    body = models.TextField("내용")
    path = models.CharField("화면", max_length=300)
    created_at = models.DateTimeField("알림 일시")
    read_at = models.DateTimeField("읽은 일시", null=True, blank=True)
    mail = models.BooleanField("메일 발송 대상", default=True)
    mail_sent_at = models.DateTimeField("메일 발송 일시", null=True, blank=True)
    mail_attempts = models.PositiveSmallIntegerField("메일 발송 시도", default=0)
    mail_error = models.TextField("메일 발송 오류", blank=True)
    mail_next_attempt_at = models.DateTimeField("다음 발송 시도", null=True, blank=True)
    mail_claimed_at = models.DateTimeField("발송 작업 시작", null=True, blank=True)

    class Meta:
        verbose_name = "알림"
        verbose_name_plural = "알림"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["mail_sent_at", "mail"], name="notification_outbox"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.subject}"


class MailOptOut(models.Model):
    """A kind of optional mail a person has turned off (the portal's list still shows it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_opt_outs")
    kind = models.CharField("종류", max_length=12, choices=Notification.Kind.choices)

    class Meta:
        verbose_name = "메일 수신 거부"
        verbose_name_plural = "메일 수신 거부"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="mail_opt_out_once")]


class Job(models.Model):
    """One piece of background work and what it is up to: the page a person watches reads its percentage and
    stage, and its result file is theirs alone. Scheduled runs carry a key naming their slot (one row per slot
    however many schedulers run); a run whose worker was killed is started again and writes the same file."""

    class Kind(models.TextChoices):
        WORKBOOK = "workbook", "평가 자료 엑셀"
        UPLOAD_PREVIEW = "upload_preview", "엑셀 보고 미리보기"
        REMINDERS = "reminders", "알림·메일 발송"
        REFRESH = "refresh", "분기 진단 재산출"
        PRUNE = "prune", "지난 작업 정리"
        BOOK = "book", "추진실적 보고서"

    class State(models.TextChoices):
        QUEUED = "queued", "대기"
        RUNNING = "running", "진행 중"
        SUCCEEDED = "succeeded", "완료"
        FAILED = "failed", "실패"

    kind = models.CharField("종류", max_length=16, choices=Kind.choices)
    key = models.CharField("예약 구분 키", max_length=80, null=True, blank=True, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name="요청한 사람",
    )
    params = models.JSONField("조건", default=dict, blank=True)
    state = models.CharField("상태", max_length=10, choices=State.choices, default=State.QUEUED)
    percent = models.PositiveSmallIntegerField("진행률(%)", default=0)
    stage = models.CharField("단계", max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField("시도 횟수", default=0)
    task_id = models.CharField("작업 큐 ID", max_length=64, blank=True)
    created_at = models.DateTimeField("요청 일시")
    started_at = models.DateTimeField("시작 일시", null=True, blank=True)
    heartbeat_at = models.DateTimeField("마지막 진행 보고", null=True, blank=True)
    finished_at = models.DateTimeField("끝난 일시", null=True, blank=True)
    error = models.TextField("오류", blank=True)
    result_file = models.CharField("결과 파일", max_length=200, blank=True)
    result_name = models.CharField("내려받을 이름", max_length=200, blank=True)
    result = models.JSONField("결과", default=dict, blank=True)

    class Meta:
        verbose_name = "백그라운드 작업"
        verbose_name_plural = "백그라운드 작업"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)


class ApiToken(models.Model):
    """A key a program reads the API with (``reports.api.tokens``), acting as the user who made it.

    Only its SHA-256 is kept (the key is shown once, when made); its first characters are kept clear so that
    its owner can tell keys apart. A revoked or expired key is refused."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="사용자"
    )
    name = models.CharField("이름", max_length=100)
    prefix = models.CharField("앞부분", max_length=16)
    key_hash = models.CharField("해시", max_length=64, unique=True)
    created_at = models.DateTimeField("만든 일시")
    expires_at = models.DateTimeField("만료 일시")
    revoked_at = models.DateTimeField("폐기 일시", null=True, blank=True)
    last_used_at = models.DateTimeField("마지막 사용", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 토큰"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
