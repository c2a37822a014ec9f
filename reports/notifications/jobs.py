"""The scheduled reminder run: the day's notifications stored, then their mail sent."""

from reports.jobs.services import JobProgress, job_finish, job_work
from reports.models import Job
from reports.notifications.services import deliver, remind


@job_work(Job.Kind.REMINDERS)
def reminders(job: Job, progress: JobProgress) -> None:
    progress(0, 2, "알림 정리 중")
    told = remind()
    progress(1, 2, "메일 발송 중")
    delivery = deliver()
    job_finish(job, result={"notifications": told, "sent": delivery.sent, "failed": delivery.failed})
