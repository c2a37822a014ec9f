from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "gov30 정부3.0 실행계획 관리"
admin.site.site_title = "gov30 관리"
admin.site.index_title = "계획 데이터 관리"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("reports.api.urls")),
    path("", include("initiatives.urls")),
    path("", include("reports.urls")),
]

# Korean error pages with a way back (gov30/views.py); Django's are English.
handler400 = "gov30.views.bad_request"
handler403 = "gov30.views.permission_denied"
handler404 = "gov30.views.page_not_found"
handler500 = "gov30.views.server_error"
