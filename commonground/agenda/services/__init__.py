"""Writes of step 3: issues, endorsements, discussion, decisions and votes."""

from .issues import (
    ISSUE_FIELDS,
    comment_add,
    endorsement_save,
    endorsement_withdraw,
    issue_decide,
    issue_merge,
    issue_propose,
    issue_update,
)
from .votes import ballot_cast, vote_close, vote_open

__all__ = [
    "ISSUE_FIELDS", "ballot_cast", "comment_add", "endorsement_save", "endorsement_withdraw", "issue_decide",
    "issue_merge", "issue_propose", "issue_update", "vote_close", "vote_open",
]  # fmt: skip
