from django.urls import path

from initiatives import views

app_name = "initiatives"

urlpatterns = [
    path("", views.plan_overview, name="plan-overview"),
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("departments/", views.department_list, name="department-list"),
    path("departments/<int:pk>/", views.department_detail, name="department-detail"),
    path("agencies/", views.agency_list, name="agency-list"),
    path("api/plans/<int:year>/", views.plan_api, name="plan-api"),
]
