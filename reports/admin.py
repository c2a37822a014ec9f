"""Reports are changed only through the portal's services (history, version, period rules);
the admin shows them read-only, and lets the administrator adjust period dates."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django_tasks_db.models import DBTaskResult

from reports.models import (
    Evidence,
    Job,
    LateChangeException,
    Notification,
    ProgressReport,
    ReportEvent,
    ReportingPeriod,
)
from reports.progress.rules import choice_label


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportEventDisplay:
    """A history entry as the report page shows it: status labels, and each change as label: old → new."""

    @admin.display(description="보고")
    def report_label(self, event: ReportEvent) -> str:
        return str(event.report)

    @admin.display(description="상태")
    def status_change(self, event: ReportEvent) -> str:
        labels = dict(ProgressReport.Status.choices)
        return " → ".join(labels.get(s, s) for s in (event.from_status, event.to_status) if s)

    @admin.display(description="변경 내용")
    def changes_text(self, event: ReportEvent) -> str:
        return "; ".join(
            f"{c['label']}: {choice_label(c['field'], c['old']) or '(빈 값)'} → {choice_label(c['field'], c['new']) or '(빈 값)'}"
            for c in event.changes
        )


EVENT_FIELDS = ("at", "action", "actor", "status_change", "comment", "changes_text", "exception")


class ReportEventInline(ReportEventDisplay, admin.TabularInline):
    model = ReportEvent
    extra = 0
    fields = EVENT_FIELDS
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ("__str__", "opens_on", "due_on", "state")
    list_filter = ("plan", "state")
    readonly_fields = ("state",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("task", "period", "status", "submitted_by", "approved_by", "is_sample", "updated_at")
    list_filter = ("period", "status", "task__department", "is_sample")
    search_fields = ("task__title", "task__department__name", "achievements")
    list_select_related = ("task", "period__plan", "submitted_by", "approved_by")
    inlines = [ReportEventInline]


@admin.register(ReportEvent)
class ReportEventAdmin(ReportEventDisplay, ReadOnlyAdmin):
    list_display = ("report_label", "action", "actor", "at", "exception")
    fields = ("report_label", *EVENT_FIELDS)
    readonly_fields = fields
    list_filter = ("action", "report__period")
    search_fields = ("report__task__title", "comment", "actor__username")
    list_select_related = ("report__task", "report__period__plan", "actor", "exception")


@admin.register(LateChangeException)
class LateChangeExceptionAdmin(ReadOnlyAdmin):
    list_display = ("report", "reason", "granted_by", "granted_at", "revoked_at")
    search_fields = ("reason", "report__task__title")
    list_select_related = ("report__task", "report__period__plan", "granted_by")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "report", "kind", "size", "uploaded_by", "uploaded_at")
    search_fields = ("original_name", "report__task__title")
    list_select_related = ("report__task", "report__period__plan", "uploaded_by")


class MailState(admin.SimpleListFilter):
    """Which notifications' mail went, waits, or failed and waits for its next attempt."""

    title, parameter_name = "메일", "mail_state"

    def lookups(self, request, model_admin):
        return [
            ("failed", "발송 실패 (재시도 대기)"),
            ("waiting", "발송 대기"),
            ("sent", "발송됨"),
            ("none", "메일 없음"),
        ]

    def queryset(self, request, queryset):
        pending = queryset.filter(mail=True, mail_sent_at__isnull=True)
        return {
            "failed": pending.filter(mail_attempts__gt=0),
            "waiting": pending.filter(mail_attempts=0),
            "sent": queryset.filter(mail_sent_at__isnull=False),
            "none": queryset.filter(mail=False),
        }.get(self.value(), queryset)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The sent-log and outbox: a mail that could not reach the server shows here with its error until it goes."""

    list_display = ("created_at", "recipient", "kind", "subject", "mail_sent_at", "mail_attempts", "mail_error")
    list_filter = (MailState, "kind")
    search_fields = ("subject", "recipient__username", "recipient__first_name")
    list_select_related = ("recipient",)


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Background jobs: the scheduled runs and the exports asked for, with their state and any error."""

    list_display = ("created_at", "kind", "state", "percent", "attempts", "owner", "key", "finished_at", "error")
    list_filter = ("state", "kind")
    search_fields = ("key", "owner__username")
    list_select_related = ("owner",)


# The task queue's own table (django-tasks-db) is English and says less than the jobs above; django-rq's queue
# pages are off (RQ_SHOW_ADMIN_LINK).
admin.site.unregister(DBTaskResult)
QUEUE_APPS = ("django_tasks_database", "django_rq")

# Django stores permission names in English ("Can add access attempt"); the role screens name them in Korean.
PERMISSION_ACTIONS = {"add": "추가", "change": "변경", "delete": "삭제", "view": "보기"}


def permission_label(permission: Permission) -> str:
    action = PERMISSION_ACTIONS.get(permission.codename.split("_", 1)[0])
    return f"{permission.content_type} | {action}" if action else str(permission)


class KoreanPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in {"permissions", "user_permissions"}:
            field.label_from_instance = permission_label
            # the task queue's own tables have no admin here (jobs are granted as 백그라운드 작업)
            field.queryset = field.queryset.exclude(content_type__app_label__in=QUEUE_APPS)
        return field


class RoleAdmin(KoreanPermissionsMixin, GroupAdmin):
    pass


class AccountAdmin(KoreanPermissionsMixin, UserAdmin):
    pass


admin.site.unregister(Group)
admin.site.register(Group, RoleAdmin)
admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AccountAdmin)
