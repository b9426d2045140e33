"""The permission matrix's rows for what `core` serves: the audit log, health and the schema."""

from commonground.core.testing import API_LIST, expect

# (method, path template): (path and payload for a world, expected status by role)
API = {
    ("GET", "/api/v1/audit/"): (lambda w: ("/api/v1/audit/", None), API_LIST),
    ("GET", "/api/v1/audit/{id}/"): (lambda w: (f"/api/v1/audit/{w.audit_entry.pk}/", None), expect(404, visitor=401, admin_own=200, cochair=200, facilitator=200)),
}  # fmt: skip

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "health": (lambda w: "/healthz", "GET", expect(200)),
    "javascript-catalog": (lambda w: "/jsi18n/", "GET", expect(200)),
    "schema": (lambda w: "/api/schema/", "GET", expect(200)),
    "api-docs": (lambda w: "/api/docs/", "GET", expect(200)),
    "api-redoc": (lambda w: "/api/redoc/", "GET", expect(200)),
}  # fmt: skip
