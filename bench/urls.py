"""The portal's URLs plus the measuring floors (``bench.views``), for ``bench.settings`` only."""

from django.urls import include, path

from bench import views
from gov30.urls import handler400, handler403, handler404, handler500  # noqa: F401
from gov30.urls import urlpatterns as portal

floors = [
    path("floor/<slug:name>/", views.floor_page, name="floor-page"),
    path("floor/<slug:name>/save/", views.floor_save, name="floor-save"),
    path("trivial/", views.trivial, name="trivial"),
]

urlpatterns = [path("bench/", include((floors, "bench"))), *portal]
