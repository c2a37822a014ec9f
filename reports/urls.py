from django.urls import path

from reports.briefing import views as briefing_views
from reports.evaluation import views as evaluation_views
from reports.jobs import views as job_views
from reports.notifications import views as notification_views
from reports.opendata import views as opendata_views
from reports.progress import views as progress_views
from reports.spreadsheets import views as spreadsheet_views

app_name = "reports"

urlpatterns = [
    path("work/", progress_views.home, name="home"),
    path("my/", progress_views.my_tasks, name="my-tasks"),
    path("review/", progress_views.inbox, name="inbox"),
    path("review/approve/", progress_views.reports_approve, name="reports-approve"),
    path("periods/", progress_views.period_list, name="period-list"),
    path("periods/<int:pk>/state/", progress_views.period_state, name="period-state"),
    path("register/", progress_views.late_change_register, name="register"),
    path("indicators/<int:pk>/target/", progress_views.indicator_target, name="indicator-target"),
    path("tasks/<int:task_pk>/periods/<int:period_pk>/start/", progress_views.report_start, name="report-start"),
    path("reports/<int:pk>/", progress_views.report_detail, name="report-detail"),
    path("reports/<int:pk>/comments/", progress_views.report_comment, name="report-comment"),
    path("reports/<int:pk>/edit/", progress_views.report_edit, name="report-edit"),
    path("reports/<int:pk>/figures/", progress_views.report_figures, name="report-figures"),
    path("reports/<int:pk>/approve/", progress_views.report_review, {"action": "approve"}, name="report-approve"),
    path("reports/<int:pk>/return/", progress_views.report_review, {"action": "return"}, name="report-return"),
    path("reports/<int:pk>/reopen/", progress_views.report_review, {"action": "reopen"}, name="report-reopen"),
    path("reports/<int:pk>/exception/", progress_views.exception_grant, name="exception-grant"),
    path("reports/<int:pk>/evidence/", progress_views.evidence_upload, name="evidence-upload"),
    path("evidence/<int:pk>/", progress_views.evidence_download, name="evidence-download"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", notification_views.notification_open, name="notification-open"),
    path("notifications/read/", notification_views.notifications_read, name="notifications-read"),
    path("notifications/settings/", notification_views.mail_settings, name="mail-settings"),
]

urlpatterns += [
    path("dashboard/", evaluation_views.plan_dashboard, name="dashboard"),
    path("dashboard/departments/", evaluation_views.department_dashboard, name="dashboard-departments"),
    path("dashboard/schedule/", evaluation_views.plan_gantt, name="dashboard-gantt"),
    path("criteria/", evaluation_views.criteria, name="criteria"),
    path("evaluation/", evaluation_views.evaluation_page, name="evaluation"),
    path("evaluation/run/", evaluation_views.evaluation_run, name="evaluation-run"),
    path("evaluation/finalise/", evaluation_views.evaluation_finalise, name="evaluation-finalise"),
    path("evaluation/weights/", evaluation_views.weights_page, name="weights"),
    path("evaluation/scores/<int:pk>/", evaluation_views.score_detail, name="score-detail"),
    path("results/", evaluation_views.open_results, name="open-results"),
    path("open-data/", opendata_views.index, name="open-data"),
    path("open-data/<int:year>/datapackage.json", opendata_views.data_package, name="open-data-package"),
    path("open-data/<int:year>/<slug:dataset>.<str:fmt>", opendata_views.dataset_file, name="open-data-file"),
    path("exports/workbook/", spreadsheet_views.workbook_download, name="workbook-download"),
    path("exports/book.pdf", briefing_views.book_download, {"kind": "pdf"}, name="book-pdf"),
    path("exports/book.hwpx", briefing_views.book_download, {"kind": "hwpx"}, name="book-hwpx"),
    path("offline/<int:period_pk>/template/", spreadsheet_views.template_download, name="offline-template"),
    path("offline/<int:period_pk>/upload/", spreadsheet_views.upload, name="offline-upload"),
    path("offline/<int:period_pk>/confirm/", spreadsheet_views.confirm, name="offline-confirm"),
    path("offline/jobs/<int:pk>/", spreadsheet_views.job_preview, name="offline-job-preview"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/status/", job_views.job_status, name="job-status"),
    path("jobs/<int:pk>/download/", job_views.job_download, name="job-download"),
]
