"""Keep the list of a user's signed-in sessions as they sign in and out."""

from .services.sessions import session_forget, session_record


def signed_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_record(request=request, user=user)


def signed_out(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_forget(request)
