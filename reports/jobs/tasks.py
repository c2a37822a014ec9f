"""The one task the queue knows: run a ``Job`` row. Everything a job is (its kind, conditions, progress, result)
is in the database, so the same code runs on the database backend and on RQ, and moves to Django 6's
``django.tasks`` by changing the import."""

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from reports.jobs.services import job_execute  # the task module is imported by the backend before the apps

    return job_execute(job_id)
