"""Step 3: the common issues on the table, the organizations that endorse them, and the votes that order them."""

from .issues import Comment, Endorsement, Issue, IssueQuerySet, issue_errors
from .votes import Ballot, Vote

__all__ = ["Ballot", "Comment", "Endorsement", "Issue", "IssueQuerySet", "Vote", "issue_errors"]
