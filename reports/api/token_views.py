"""The API's pages: its guide, and each user's own keys (made, shown once, revoked)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from drf_spectacular.generators import SchemaGenerator

from gov30.korean import quoted, with_particle
from reports.api import tokens
from reports.api.forms import TokenForm


@require_safe
def api_guide(request):
    """The endpoints as the served schema describes them, so that the guide and the schema cannot differ."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    endpoints = [
        {
            "path": path,
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
            "tags": operation.get("tags", []),
        }
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method == "get"
    ]
    return render(request, "api/guide.html", {"endpoints": endpoints})


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form, made = TokenForm(request.POST or None), None
    if request.method == "POST" and form.is_valid():
        token, key = tokens.token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        made = {"token": token, "key": key, "named": with_particle(quoted(token.name), "을")}
        form = TokenForm()
    status = 400 if form.errors else 200
    now = timezone.now()
    rows = [{"token": t, "state": tokens.token_state(t, now)} for t in tokens.tokens_of(request.user)]
    context = {"form": form, "made": made, "rows": rows}
    response = render(request, "api/tokens.html", context, status=status)
    if made:
        response["Cache-Control"] = "no-store"  # the key is on this page only once
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = tokens.token_revoke(user=request.user, pk=pk)
    messages.success(
        request, f"토큰 {with_particle(quoted(token.name), '을')} 폐기했습니다. 이 토큰으로는 더 이상 읽을 수 없습니다."
    )
    return redirect("api:tokens")
