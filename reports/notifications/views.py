"""알림: a person's notifications in the portal (the same events as their mails) and which optional mails they get."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports.models import MailOptOut, Notification
from reports.notifications import rules
from reports.progress.paging import paginate


@login_required
@require_GET
def notification_list(request):
    pager = paginate(request, request.user.notifications.all())
    return render(request, "notifications/list.html", {"notifications": pager.page, "pager": pager})


@login_required
@require_GET
def notification_open(request, pk: int):
    """The notification's page, the notification marked read on the way."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(note.path)


@login_required
@require_POST
def notifications_read(request):
    count = request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, f"알림 {count}건을 읽음으로 표시했습니다.")
    return redirect("reports:notifications")


class MailSettingsForm(forms.Form):
    """A box for each optional mail, ticked when the person gets it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in rules.OPTIONAL:
            self.fields[kind.value] = forms.BooleanField(label=kind.label, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def mail_settings(request):
    opted_out = set(request.user.mail_opt_outs.values_list("kind", flat=True))
    # bound on every POST: a form with every box unticked posts no field at all
    form = MailSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={k.value: k.value not in opted_out for k in rules.OPTIONAL},
    )
    if request.method == "POST" and form.is_valid():
        off = [kind for kind in rules.OPTIONAL if not form.cleaned_data[kind.value]]
        request.user.mail_opt_outs.exclude(kind__in=off).delete()
        MailOptOut.objects.bulk_create(
            [MailOptOut(user=request.user, kind=kind) for kind in off], ignore_conflicts=True
        )
        messages.success(request, "메일 수신 설정을 저장했습니다.")
        return redirect("reports:mail-settings")
    always = [k.label for k in Notification.Kind if k not in rules.OPTIONAL]
    return render(request, "notifications/settings.html", {"form": form, "always": always})
