"""The two addresses the checkpoint page talks to, in one place (the page reads them from its data- attributes).

Both belong to the credentials program (issue 19): the community's public bundle (keys, revocation lists,
activations; public, with an ETag) and the check-log upload (a signed-in member, session and CSRF token).
"""

from django.urls import reverse


def bundle_url(slug: str) -> str:
    """Where the page and its service worker fetch the community's keys, revocations and activations."""
    return reverse("credentials:checkpoint_bundle", args=[slug])


def upload_url() -> str:
    """Where the page posts its check log when the network returns."""
    return reverse("api:credential-checks")
