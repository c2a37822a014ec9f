from django.contrib.auth.models import AnonymousUser

from reports.progress import permissions


def roles(request) -> dict[str, bool]:
    """Booleans for the navigation; templates decide nothing themselves."""
    # an error page rendered before the authentication middleware ran (a foreign Host header) has no user
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "nav_is_officer": permissions.is_officer(user),
        "nav_is_reviewer": permissions.is_reviewer(user),
        "nav_is_administrator": permissions.is_administrator(user),
        "can_change_targets": permissions.can_change_targets(user),
    }
