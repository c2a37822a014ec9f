from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from reports.api import token_views, views

router = SimpleRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("results", views.ResultViewSet, basename="result")
router.register("indicator-results", views.IndicatorResultViewSet, basename="indicator-result")
router.register("reports", views.ReportViewSet, basename="report")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("scores", views.ScoreViewSet, basename="score")
router.register("inbox/waiting", views.InboxWaitingViewSet, basename="inbox-waiting")
router.register("inbox/returned", views.InboxReturnedViewSet, basename="inbox-returned")
router.register("inbox/overdue", views.InboxOverdueViewSet, basename="inbox-overdue")

app_name = "api"

urlpatterns = [
    path("api/v1/", token_views.api_guide, name="guide"),
    path("api/v1/schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("api/v1/", include(router.urls)),
    path("account/tokens/", token_views.token_list, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", token_views.token_revoke, name="token-revoke"),
]
