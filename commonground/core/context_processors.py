"""Template context every page shares."""

from django.conf import settings


def demo(request) -> dict:
    """Tell every page whether this installation is the demo, so it can say its data are fictional."""
    return {"demo": settings.DEMO}
