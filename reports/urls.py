from django.urls import path

from reports import progress_views, views

app_name = "reports"

urlpatterns = [
    path("", views.plan_overview, name="plan-overview"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("departments/", views.department_list, name="department-list"),
    path("departments/<int:pk>/", views.department_detail, name="department-detail"),
    path("agencies/", views.agency_list, name="agency-list"),
    path("api/plans/<int:year>/", views.plan_api, name="plan-api"),
    path("work/", progress_views.home, name="home"),
    path("my/", progress_views.my_tasks, name="my-tasks"),
    path("review/", progress_views.inbox, name="inbox"),
    path("periods/", progress_views.period_list, name="period-list"),
    path("periods/<int:pk>/state/", progress_views.period_state, name="period-state"),
    path("register/", progress_views.late_change_register, name="register"),
    path("indicators/<int:pk>/target/", progress_views.indicator_target, name="indicator-target"),
    path("tasks/<int:task_pk>/periods/<int:period_pk>/start/", progress_views.report_start, name="report-start"),
    path("reports/<int:pk>/", progress_views.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", progress_views.report_edit, name="report-edit"),
    path("reports/<int:pk>/approve/", progress_views.report_review, {"action": "approve"}, name="report-approve"),
    path("reports/<int:pk>/return/", progress_views.report_review, {"action": "return"}, name="report-return"),
    path("reports/<int:pk>/reopen/", progress_views.report_review, {"action": "reopen"}, name="report-reopen"),
    path("reports/<int:pk>/exception/", progress_views.exception_grant, name="exception-grant"),
    path("reports/<int:pk>/evidence/", progress_views.evidence_upload, name="evidence-upload"),
    path("evidence/<int:pk>/", progress_views.evidence_download, name="evidence-download"),
]
