"""Steps 1 and 2 of the Partnership Model: organizations, their people, invitations, coverage."""
