"""When a reminder is due, and how long a failed mail waits: dates in, answers out (no database access).

Lateness itself is the quarter calendar's rule (``reports.progress.rules.is_overdue``); these only say which
day each reminder goes on."""

import datetime

from reports.models import Notification

Kind = Notification.Kind

# Mails a person may turn off. The due and overdue reminders, and the head's, always go.
OPTIONAL = (
    Kind.OPENED,
    Kind.SUBMITTED,
    Kind.RETURNED,
    Kind.APPROVED,
    Kind.REOPENED,
    Kind.COMMENT,
    Kind.DIGEST,
    Kind.JOB_DONE,
)
ALWAYS = tuple(kind for kind in Kind if kind not in OPTIONAL)


def due_soon(*, due_on: datetime.date, today: datetime.date, days_before: int) -> bool:
    """From ``days_before`` days before the due date to the due date itself."""
    return due_on - datetime.timedelta(days=days_before) <= today <= due_on


def overdue_reminder_due(*, last_sent: datetime.date | None, today: datetime.date, repeat_days: int) -> bool:
    """An overdue reminder goes on the first day overdue and again each ``repeat_days`` days after the last one
    (a day the job did not run moves the next one, it never sends two at once)."""
    return last_sent is None or (today - last_sent).days >= repeat_days


def escalation_due(*, due_on: datetime.date, today: datetime.date, after_days: int) -> bool:
    """The department's head is told once a report is overdue by more than ``after_days`` days."""
    return (today - due_on).days > after_days


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait before the next attempt at a mail that failed ``attempts`` times: 5, 10, 20, 40 minutes, then hourly."""
    return datetime.timedelta(minutes=min(5 * 2 ** max(attempts - 1, 0), 60))
