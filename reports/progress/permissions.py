"""Who may see or change what. Views, forms, admin and exports all ask here.

Roles are Django groups; which departments an officer belongs to is data
(``Department.members``). Objects outside a user's reach are a 404; a visible object asked
for an action the user may not take is a 403.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from initiatives.models import Department, Task
from reports.models import Evidence, Job, ProgressReport

OFFICER = "부서 담당자"
REVIEWER = "정보기획담당관 검토자"
ADMINISTRATOR = "관리자"
ROLES = (OFFICER, REVIEWER, ADMINISTRATOR)
NOT_THE_WRITER = "검토자는 보고 내용을 수정할 수 없습니다. 승인 또는 반려만 할 수 있습니다."


def _memberships(user) -> tuple[set[str], set[int]]:
    """The user's role names and department ids, read together once a request: one query (a row for each pair;
    both lists are short)."""
    cached = getattr(user, "_gov30_memberships", None)
    if cached is None:
        pairs = list(get_user_model().objects.filter(pk=user.pk).values_list("groups__name", "departments__pk"))
        cached = ({name for name, _ in pairs if name is not None}, {pk for _, pk in pairs if pk is not None})
        user._gov30_memberships = cached
    return cached


def _groups(user) -> set[str]:
    return _memberships(user)[0] if user.is_authenticated else set()


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or ADMINISTRATOR in _groups(user))


def is_reviewer(user) -> bool:
    """The planning office (정보기획담당관) reviews; administrators may do what it does."""
    return user.is_authenticated and (REVIEWER in _groups(user) or is_administrator(user))


def is_officer(user) -> bool:
    return user.is_authenticated and OFFICER in _groups(user)


def department_ids(user) -> set[int]:
    return _memberships(user)[1] if user.is_authenticated else set()


def officer_memberships(department_ids) -> QuerySet:
    """(department, user) rows of the departments' active officers, with the user: who writes their reports."""
    memberships = Department.members.through.objects.filter(
        department__in=department_ids, user__groups__name=OFFICER, user__is_active=True
    )
    return memberships.select_related("user")


def reviewers() -> QuerySet:
    """The planning office's active reviewers (administrators review too, but are not sent its work)."""
    return get_user_model().objects.filter(groups__name=REVIEWER, is_active=True)


def can_write_report_content(user, task: Task) -> bool:
    """Only an officer of the owning department writes a report; reviewers approve or return."""
    return is_officer(user) and task.department_id in department_ids(user)


# Evidence may still be added while the reviewer has not decided (a forgotten file needs no 반려);
# an approved report is reopened first, like any other change to it.
EVIDENCE_STATUSES = frozenset(
    {ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED, ProgressReport.Status.SUBMITTED}
)


def can_attach_evidence(user, report: ProgressReport) -> bool:
    """The owning department's officer attaches evidence to a draft, returned or submitted report (the
    quarter's own rules, 마감 and 확정, are checked with the report's: ``services.evidence_block_reason``)."""
    return can_write_report_content(user, report.task) and report.status in EVIDENCE_STATUSES


def can_discuss(user, report: ProgressReport) -> bool:
    """The report's discussion is between the owning department's officers and the planning office."""
    return is_reviewer(user) or can_write_report_content(user, report.task)


def ensure_can_discuss(user, report: ProgressReport) -> None:
    if not can_discuss(user, report):
        raise PermissionDenied("이 보고의 논의에는 주관부서 담당자와 검토자만 의견을 남길 수 있습니다.")


def can_review(user) -> bool:
    return is_reviewer(user)


def can_change_targets(user) -> bool:
    return is_reviewer(user)


def reports_for_user(user, queryset: QuerySet[ProgressReport] | None = None) -> QuerySet[ProgressReport]:
    queryset = queryset if queryset is not None else ProgressReport.objects.all()
    if is_reviewer(user):
        return queryset
    if is_officer(user):
        return queryset.filter(task__department__in=department_ids(user))
    return queryset.none()


def tasks_for_officer(user, queryset: QuerySet[Task]) -> QuerySet[Task]:
    return queryset.filter(department__in=department_ids(user)) if is_officer(user) else queryset.none()


def get_report_for_user(user, pk: int, *, write: bool = False, queryset=None) -> ProgressReport:
    """The report if the user may see it (else 404); with write=True, 403 unless they may write it."""
    report = reports_for_user(user, queryset).filter(pk=pk).select_related("task", "period__plan").first()
    if report is None:
        raise Http404("보고서를 찾을 수 없습니다.")
    if write and not can_write_report_content(user, report.task):
        raise PermissionDenied(NOT_THE_WRITER)
    return report


def get_task_for_officer(user, pk: int) -> Task:
    task = tasks_for_officer(user, Task.objects.select_related("plan", "department")).filter(pk=pk).first()
    if task is None:
        raise Http404("과제를 찾을 수 없습니다.")
    return task


def get_evidence_for_user(user, pk: int) -> Evidence:
    evidence = Evidence.objects.filter(pk=pk, report__in=reports_for_user(user)).first()
    if evidence is None:
        raise Http404("파일을 찾을 수 없습니다.")
    return evidence


def get_job_for_user(user, pk: int) -> Job:
    """A job started from a page, and its result, are only for the person who started it, while they still hold
    the role that may start it (a workbook or a book: a reviewer; an upload: an officer). Anyone else gets 404."""
    job = Job.objects.filter(pk=pk, owner=user).first() if user.is_authenticated else None
    may = {Job.Kind.WORKBOOK: is_reviewer, Job.Kind.BOOK: is_reviewer, Job.Kind.UPLOAD_PREVIEW: is_officer}
    if job is None or not may.get(job.kind, is_administrator)(user):
        raise Http404("작업을 찾을 수 없습니다.")
    return job


def ensure_reviewer(user) -> None:
    if not is_reviewer(user):
        raise PermissionDenied("정보기획담당관 검토자만 할 수 있는 작업입니다.")


def reports_for_review(user, pks) -> list[ProgressReport]:
    """The reports among ``pks`` a reviewer acts on at once (403 for anyone else), in 검토함's order."""
    ensure_reviewer(user)
    reports = reports_for_user(user).filter(pk__in=pks).select_related("task", "period__plan")
    return list(reports.order_by("period__quarter", "task__number"))


def ensure_roles_exist() -> list[Group]:
    return [Group.objects.get_or_create(name=name)[0] for name in ROLES]
