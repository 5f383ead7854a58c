from .models import Notification


def unread(request):
    """The signed-in user's unread notifications (the bell in the layout): counted once per
    request, however many templates the request renders."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = getattr(request, "_kehoach_unread", None)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        request._kehoach_unread = count
    return {"unread_notifications": count}
