import functools

from django.contrib.auth.models import AnonymousUser

from reports.progress import permissions


def roles(request) -> dict[str, object]:
    """Booleans for the navigation; templates decide nothing themselves."""
    # an error page rendered before the authentication middleware ran (a foreign Host header) has no user
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "nav_is_officer": permissions.is_officer(user),
        "nav_is_reviewer": permissions.is_reviewer(user),
        "nav_is_administrator": permissions.is_administrator(user),
        "can_change_targets": permissions.can_change_targets(user),
        "nav_unread": _unread(user),
    }


def _unread(user):
    """The unread count the authentication backend loaded with the user; counted when shown (once) otherwise."""
    if not user.is_authenticated:
        return 0
    if hasattr(user, "unread_notifications"):
        return user.unread_notifications
    return functools.cache(lambda: user.notifications.filter(read_at__isnull=True).count())
