from . import access


def current_roles(request):
    """The signed-in user's scope, so the layout shows only the menus they may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": access.get_scope(user)}
