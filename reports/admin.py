"""Reports are changed only through the portal's services (history, version, period rules);
the admin shows them read-only, and lets the administrator adjust period dates."""

from django.contrib import admin

from reports.models import Evidence, LateChangeException, ProgressReport, ReportEvent, ReportingPeriod


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    fields = ("at", "action", "actor", "from_status", "to_status", "comment", "changes", "exception")
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
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ("report", "action", "actor", "at", "exception")
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
