"""Floor views for the benchmark and the load run, wired only by ``bench.urls`` (``bench.settings``).

A fair floor is a bare view through the same middleware, session and base layout that runs the same SQL as the
page it stands beside: the benchmark captures the page's statements once (``floor_register``) and the floor
replays them, fetching every row. The save's floor replays the save's statements inside a transaction that is
rolled back (so the report is unchanged and the next pair replays the same work), then redirects as the form
does; a rollback costs no more than the commit it replaces, so the floor is never the slower side for it.
"""

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

# name -> SQL statements with their values bound, as captured from the page; filled in the benchmark's process
# only, so that under gunicorn (the load run) the floors are all 404 and only the trivial view answers.
STATEMENTS: dict[str, list[str]] = {}


def floor_register(name: str, statements: list[str]) -> None:
    STATEMENTS[name] = list(statements)


def _replay(name: str) -> int:
    if name not in STATEMENTS:
        raise Http404
    rows = 0
    with connection.cursor() as cursor:
        for sql in STATEMENTS[name]:
            cursor.execute(sql)
            if cursor.description is not None:
                rows += len(cursor.fetchall())
    return rows


@login_required
@require_GET
def floor_page(request, name: str):
    return render(request, "bench/floor.html", {"rows": _replay(name)})


@login_required
@require_POST
def floor_save(request, name: str):
    with transaction.atomic():
        _replay(name)
        transaction.set_rollback(True)
    return redirect(request.path)


@require_GET
def trivial(request):
    """The least a Django page does on the same server: the load run's ceiling of requests per second."""
    return HttpResponse("정상", content_type="text/plain; charset=utf-8")
