"""Shared foundations with no domain imports: TLP visibility, the audit log, tabular import and export."""
