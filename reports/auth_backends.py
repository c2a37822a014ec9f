"""The signed-in user loaded with their unread notification count, in the one query Django makes for the user
anyway: the navigation shows the count on every page without a query of its own."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, Q


class PasswordBackend(ModelBackend):
    """Django's username and password check; the user it loads for each request carries
    ``unread_notifications``."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            unread_notifications=Count("notifications", filter=Q(notifications__read_at__isnull=True))
        )
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
