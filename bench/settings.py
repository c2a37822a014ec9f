"""The portal's settings with the measuring tools installed, so that their commands run.

The product never names ``bench``: ``manage.py benchmark --settings=bench.settings`` (and the test
suite, which tests these commands too) opts in."""

from gov30.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"  # the portal's URLs plus the floor views and the load run's trivial view
