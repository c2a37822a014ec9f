"""The scheduled reminder run: the day's notifications stored, then their mail sent; and the person who started a
job told when it has ended."""

from django.dispatch import receiver

from reports.jobs.services import JobProgress, job_ended, job_finish, job_work
from reports.models import Job
from reports.notifications.services import deliver, job_done_notify, remind


@receiver(job_ended)
def tell_who_asked(sender, job: Job, **kwargs) -> None:
    if job.owner_id is not None:  # the schedule's own runs are nobody's
        job_done_notify(job)


@job_work(Job.Kind.REMINDERS)
def reminders(job: Job, progress: JobProgress) -> None:
    progress(0, 2, "알림 정리 중")
    told = remind()
    progress(1, 2, "메일 발송 중")
    delivery = deliver()
    job_finish(job, result={"notifications": told, "sent": delivery.sent, "failed": delivery.failed})
