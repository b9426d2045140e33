"""User accounts: logins, the site-wide facilitator role, API tokens."""
