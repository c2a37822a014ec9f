"""Open data: the index of the datasets, each year's data package, and each dataset's files. Public, read-only."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from initiatives.models import Plan
from reports.opendata import datasets, files


def _plan(year: int) -> Plan:
    plan = Plan.objects.defer("source_text").filter(year=year).first()
    if plan is None:
        raise Http404(f"{year}년 실행계획의 공개 데이터가 없습니다.")
    return plan


def _portal_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_safe
def index(request):
    plans = Plan.objects.defer("source_text").order_by("-year")
    years = [
        {"plan": plan, "datasets": datasets.plan_datasets(plan), "changes": datasets.last_changes(plan)}
        for plan in plans
    ]
    context = {"years": years, "formats": files.FORMAT_LABELS, "licence": datasets.LICENCE}
    return render(request, "opendata/index.html", context)


@require_safe
def data_package(request, year: int):
    descriptor = files.package(_plan(year), portal_url=_portal_url(request))
    return JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 1})


@require_safe
def dataset_file(request, year: int, dataset: str, fmt: str):
    plan = _plan(year)
    found = datasets.find_dataset(plan, dataset)
    if found is None or fmt not in files.WRITERS:
        raise Http404("그런 공개 데이터 파일이 없습니다. 공개 데이터 목록에서 골라 주세요.")
    table = datasets.table(plan, found, portal_url=_portal_url(request))
    response = HttpResponse(files.WRITERS[fmt](table), content_type=files.CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "json" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{files.file_name(table, fmt)}"'
    return response
