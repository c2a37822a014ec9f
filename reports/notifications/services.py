"""Reminders and notifications: who is told what, once each; and their mail, sent once and retried when the mail
server cannot be reached.

``remind`` works out, for a day, every notification that is due (the quarter's reminders, the reviewers' digest,
and the report events of the last days) and stores each once per person and key; ``deliver`` sends the stored
ones' mail. Both are safe to run on several workers at once and again after a restart: a notification exists once
per (person, key) in the database, and a mail is sent by the worker that claimed its row."""

import datetime
import smtplib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Department, Task
from reports.models import Job, MailOptOut, Notification, ProgressReport, ReportEvent, ReportingPeriod
from reports.notifications import rules
from reports.progress import permissions, selectors
from reports.progress import rules as progress_rules

Kind, Action = Notification.Kind, ReportEvent.Action
# Report events told to the people concerned; older ones are taken as told (the job runs at least daily).
EVENT_WINDOW = datetime.timedelta(days=7)
EVENT_KINDS = {
    Action.SUBMIT: Kind.SUBMITTED,
    Action.RETURN: Kind.RETURNED,
    Action.APPROVE: Kind.APPROVED,
    Action.REOPEN: Kind.REOPENED,
}
# A claimed mail whose worker died is taken over after this long.
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
BATCH = 200


@dataclass(frozen=True)
class Note:
    """A notification to store: ``key`` names what it is about and, for repeated reminders, its day."""

    recipient_id: int
    kind: str
    key: str
    subject: str
    body: str
    path: str


def remind(*, today: datetime.date | None = None, now: datetime.datetime | None = None) -> int:
    """Store every notification due on ``today``; returns how many were new."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    notes = [*_digest(today), *_event_notes(now)]
    for period in ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN).select_related("plan"):
        notes += _period_notes(period, today)
    return _store(notes, now)


# ---------------------------------------------------------------- who is told what


def _officers(department_ids) -> dict[int, list]:
    """Department pk → its active officers (members with the officer role)."""
    by_department = defaultdict(list)
    for membership in permissions.officer_memberships(department_ids):
        by_department[membership.department_id].append(membership.user)
    return by_department


def _reviewers() -> list:
    return list(permissions.reviewers())


def _task_label(task: Task) -> str:
    return f"{task.number}. {task.title}"


def _period_notes(period: ReportingPeriod, today: datetime.date) -> list[Note]:
    """The quarter's reminders to officers (opened, due soon, overdue) and to heads (long overdue)."""
    officers = _officers(Task.objects.filter(plan=period.plan).values("department"))
    waiting = defaultdict(list)  # department pk → its unsubmitted tasks
    for task in selectors.tasks_not_reported_on_time(period=period):
        waiting[task.department_id].append(task)
    due = f"제출 기한 {period.due_on:%Y-%m-%d}"
    my_tasks = reverse("reports:my-tasks")
    overdue = progress_rules.is_overdue(started=True, due_on=period.due_on, today=today, status=None)
    last_overdue = _last_overdue_days(period)
    notes = []
    for department_id, people in officers.items():
        listed = "\n".join(f"- {_task_label(t)}" for t in waiting.get(department_id, []))
        for user in people:
            notes.append(
                Note(
                    user.pk,
                    Kind.OPENED,
                    f"opened:{period.pk}",
                    f"{period} 실적 보고가 시작되었습니다",
                    f"{due}.",
                    my_tasks,
                )
            )
            if not listed:
                continue
            if not overdue and rules.due_soon(
                due_on=period.due_on, today=today, days_before=settings.GOV30_REMIND_DAYS_BEFORE
            ):
                days = (period.due_on - today).days
                subject = (
                    f"{period} 실적 보고 기한이 {days}일 남았습니다"
                    if days
                    else f"{period} 실적 보고 기한은 오늘입니다"
                )
                notes.append(
                    Note(user.pk, Kind.DUE_SOON, f"due_soon:{period.pk}", subject, f"{due}.\n{listed}", my_tasks)
                )
            if overdue and rules.overdue_reminder_due(
                last_sent=last_overdue.get(user.pk), today=today, repeat_days=settings.GOV30_OVERDUE_REPEAT_DAYS
            ):
                subject = f"{period} 실적 보고 기한이 지났습니다 ({(today - period.due_on).days}일 경과)"
                key = f"overdue:{period.pk}:{today.isoformat()}"
                notes.append(
                    Note(user.pk, Kind.OVERDUE, key, subject, f"{due}. 아직 제출되지 않은 과제:\n{listed}", my_tasks)
                )
    if overdue and rules.escalation_due(
        due_on=period.due_on, today=today, after_days=settings.GOV30_ESCALATE_AFTER_DAYS
    ):
        notes += _escalations(period, waiting, today)
    return notes


def _last_overdue_days(period: ReportingPeriod) -> dict[int, datetime.date]:
    """Recipient pk → the day of the last overdue reminder for ``period``."""
    sent = Notification.objects.filter(kind=Kind.OVERDUE, key__startswith=f"overdue:{period.pk}:")
    return {
        pk: timezone.localdate(at)
        for pk, at in sent.values("recipient").annotate(at=Max("created_at")).values_list("recipient", "at")
    }


def _head(department: Department, tasks: list[Task]):
    """The department's head: as configured, else the member named as one of its tasks' 과제담당관."""
    if department.head_id:
        return department.head
    names = {t.manager_name.replace(" ", "") for t in tasks if t.manager_name}
    for user in department.members.all():
        if {user.first_name.replace(" ", ""), f"{user.last_name}{user.first_name}".replace(" ", "")} & names:
            return user
    return None


def _escalations(period: ReportingPeriod, waiting: dict[int, list[Task]], today: datetime.date) -> list[Note]:
    notes = []
    for department in Department.objects.filter(pk__in=waiting).select_related("head").prefetch_related("members"):
        head = _head(department, waiting[department.pk])
        if head is None:
            continue
        days = (today - period.due_on).days
        listed = "\n".join(f"- {_task_label(t)}" for t in waiting[department.pk])
        notes.append(
            Note(
                head.pk,
                Kind.ESCALATED,
                f"escalated:{period.pk}:{department.pk}",
                f"{department.name}: {period} 실적 보고가 {days}일째 제출되지 않았습니다",
                f"제출 기한 {period.due_on:%Y-%m-%d}. 아직 제출되지 않은 과제:\n{listed}",
                reverse("initiatives:department-detail", args=[department.pk]),
            )
        )
    return notes


def _digest(today: datetime.date) -> list[Note]:
    """Each reviewer, once a day, when reports wait for review."""
    waiting = ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED)
    count = waiting.count()
    if not count:
        return []
    oldest = waiting.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    since = f" (가장 오래된 제출: {timezone.localtime(oldest):%Y-%m-%d})" if oldest else ""
    subject = f"검토를 기다리는 보고 {count}건"
    inbox = reverse("reports:inbox")
    return [
        Note(r.pk, Kind.DIGEST, f"digest:{today.isoformat()}", subject, f"{subject}{since}.", inbox)
        for r in _reviewers()
    ]


def _event_notes(now: datetime.datetime) -> list[Note]:
    """Submissions to the reviewers; returns, approvals and comments to the other side of the report's discussion."""
    events = (
        ReportEvent.objects.filter(at__gte=now - EVENT_WINDOW, action__in=[*EVENT_KINDS, Action.COMMENT])
        .select_related("report__task", "report__period__plan", "actor")
        .order_by("pk")
    )
    events = list(events)
    officers = _officers({e.report.task.department_id for e in events})
    reviewers = _reviewers()
    by_reviewer = {pk: permissions.is_reviewer(e.actor) for pk, e in {e.actor_id: e for e in events}.items()}
    notes = []
    for event in events:
        report, task = event.report, event.report.task
        to_reviewers = event.action == Action.SUBMIT or (
            event.action == Action.COMMENT and not by_reviewer[event.actor_id]
        )
        people = reviewers if to_reviewers else officers.get(task.department_id, [])
        kind = EVENT_KINDS.get(event.action, Kind.COMMENT)
        subject = f"{Notification.Kind(kind).label}: {report.period} {_task_label(task)}"
        body = event.comment or subject
        if event.action in (Action.RETURN, Action.REOPEN):
            body = f"검토 의견: {event.comment}"
        path = reverse("reports:report-detail", args=[report.pk])
        if kind == Kind.COMMENT:
            path += "#h-discussion"
        notes += [Note(p.pk, kind, f"event:{event.pk}", subject, body, path) for p in people if p.pk != event.actor_id]
    return notes


def _store(notes: list[Note], now: datetime.datetime) -> int:
    """Store each note once per (person, key); a mail goes only to those with an address who did not turn it off.
    Returns the rows added (by this run, or a concurrent one)."""
    if not notes:
        return 0
    users = get_user_model().objects.in_bulk({n.recipient_id for n in notes})
    opted_out = set(MailOptOut.objects.filter(user__in=users).values_list("user_id", "kind"))
    before = Notification.objects.count()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=n.recipient_id,
                kind=n.kind,
                key=n.key,
                subject=n.subject,
                body=n.body,
                path=n.path,
                created_at=now,
                mail=bool(users[n.recipient_id].email)
                and not (n.kind in rules.OPTIONAL and (n.recipient_id, n.kind) in opted_out),
            )
            for n in notes
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    return Notification.objects.count() - before


def job_done_notify(job: Job) -> int:
    """Tell the person who asked for a job that it has ended, with a link to its page; once per job, however often
    it ran (a retried job is told as one)."""
    ended = "이 끝났습니다" if job.state == Job.State.SUCCEEDED else "을 마치지 못했습니다"
    subject = f"요청하신 {job.get_kind_display()} 작업{ended}"
    path = reverse("reports:job-detail", args=[job.pk])
    return _store([Note(job.owner_id, Kind.JOB_DONE, f"job:{job.pk}", subject, subject, path)], timezone.now())


def notifications_mark_read(notifications) -> int:
    """Mark the unread ones among ``notifications`` read; returns how many."""
    return notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


def mail_opt_outs_set(user, off: list[str]) -> None:
    """The optional kinds of mail ``user`` does not want are exactly ``off`` (due and overdue ones always go)."""
    if any(kind not in rules.OPTIONAL for kind in off):
        raise ValueError("due and overdue reminders cannot be turned off")
    user.mail_opt_outs.exclude(kind__in=off).delete()
    MailOptOut.objects.bulk_create([MailOptOut(user=user, kind=kind) for kind in off], ignore_conflicts=True)


# ---------------------------------------------------------------- mail


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0


def outbox(now: datetime.datetime):
    """The notifications whose mail is to be sent now: not sent, due for an attempt, not claimed by a live worker."""
    return (
        Notification.objects.filter(mail=True, mail_sent_at__isnull=True)
        .filter(Q(mail_next_attempt_at__isnull=True) | Q(mail_next_attempt_at__lte=now))
        .filter(Q(mail_claimed_at__isnull=True) | Q(mail_claimed_at__lt=now - CLAIM_TIMEOUT))
    )


def deliver(*, now: datetime.datetime | None = None) -> Delivery:
    """Send the outbox's mail over one connection. Each row is claimed first (one UPDATE that only one worker can
    win), then marked sent; a failure is kept with its error for a later attempt. Once the server cannot be reached
    the rest wait for the next run."""
    now = now or timezone.now()
    result = Delivery()
    connection = mail.get_connection()
    try:
        for note in outbox(now).select_related("recipient").order_by("pk")[:BATCH]:
            if not outbox(now).filter(pk=note.pk).update(mail_claimed_at=now):
                continue  # another worker has it
            try:
                _message(note, connection).send()
            except (smtplib.SMTPException, OSError) as error:
                _failed(note, now, error)
                result.failed += 1
                if not isinstance(error, smtplib.SMTPRecipientsRefused):
                    break  # the server, not this address: the rest wait for the next run
            else:
                Notification.objects.filter(pk=note.pk).update(mail_sent_at=now, mail_claimed_at=None, mail_error="")
                result.sent += 1
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            pass
    return result


def _failed(note: Notification, now: datetime.datetime, error: Exception) -> None:
    attempts = note.mail_attempts + 1
    Notification.objects.filter(pk=note.pk).update(
        mail_attempts=attempts,
        mail_error=f"{type(error).__name__}: {error}"[:500],
        mail_next_attempt_at=now + rules.retry_delay(attempts),
        mail_claimed_at=None,
    )


def _message(note: Notification, connection) -> mail.EmailMultiAlternatives:
    """The mail of a notification: Korean subject, plain text with an HTML alternative, a link to the page."""
    context = {"note": note, "url": f"{settings.GOV30_SITE_URL}{note.path}", "site": settings.GOV30_SITE_URL}
    message = mail.EmailMultiAlternatives(
        subject=f"[정부3.0 포털] {note.subject}",
        body=render_to_string("mail/notification.txt", context),
        to=[note.recipient.email],
        connection=connection,
        headers={"X-Gov30-Notification": note.kind},  # lets a mail client (and the tests) sort them
    )
    message.attach_alternative(render_to_string("mail/notification.html", context), "text/html")
    return message
