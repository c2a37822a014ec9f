"""The nightly refresh of the stored assessments, as ``manage.py refresh_assessments`` does without --all."""

from initiatives.models import Plan
from reports.evaluation.assessments import assessments_ensure
from reports.jobs.services import JobProgress, job_finish, job_work
from reports.models import Job


@job_work(Job.Kind.REFRESH)
def refresh(job: Job, progress: JobProgress) -> None:
    plans = list(Plan.objects.order_by("year"))
    refreshed = {}
    for done, plan in enumerate(plans):
        progress(done, len(plans), f"{plan.year}년 계획 진단 중")
        refreshed[str(plan.year)] = assessments_ensure(plan=plan)
    job_finish(job, result={"refreshed": refreshed})
