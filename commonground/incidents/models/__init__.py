from .incidents import Incident, OperationalPeriod
from .requests import Assignment, Plan, ResourceRequest
from .timeline import Alert, TimelineEntry

__all__ = ["Alert", "Assignment", "Incident", "OperationalPeriod", "Plan", "ResourceRequest", "TimelineEntry"]
