"""알림: a person's notifications in the portal (the same events as their mails) and which optional mails they get."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports.models import Notification
from reports.notifications import rules, services
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
    services.notifications_mark_read(Notification.objects.filter(pk=note.pk))
    return redirect(note.path)


@login_required
@require_POST
def notifications_read(request):
    count = services.notifications_mark_read(request.user.notifications.all())
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
        services.mail_opt_outs_set(request.user, [k for k in rules.OPTIONAL if not form.cleaned_data[k.value]])
        messages.success(request, "메일 수신 설정을 저장했습니다.")
        return redirect("reports:mail-settings")
    always = [kind.label for kind in rules.ALWAYS]
    return render(request, "notifications/settings.html", {"form": form, "always": always})
