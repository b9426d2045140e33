"""The pages of step 3: common issues, their endorsements and discussion, the agenda and its votes."""

from .issues import (
    CommentView,
    DecideView,
    EndorseView,
    IssueCreateView,
    IssueDetailView,
    IssueEditView,
    IssueListView,
    MergeView,
    WithdrawView,
)
from .votes import AgendaView, VoteCloseView, VoteCreateView, VoteDetailView

__all__ = [
    "AgendaView", "CommentView", "DecideView", "EndorseView", "IssueCreateView", "IssueDetailView",
    "IssueEditView", "IssueListView", "MergeView", "VoteCloseView", "VoteCreateView", "VoteDetailView",
    "WithdrawView",
]  # fmt: skip
