"""The viewsets every app's API derives from: read through a selector, write through the app's services.

A viewset declares what it reads and writes (its `serializer_class`, `selector`, `create_service`,
`update_service`, `delete_service`, `record_argument` and `fixed_fields`: `risks.api.views.HazardViewSet`
is one); the rules for reading and writing live here once.

A `ValidationError` or `PermissionDenied` a service raises answers 400 or 403 through the API's exception
handler (`core.api.exceptions.exception_handler`), so no viewset catches them.
"""

from collections.abc import Callable

from django.db.models import QuerySet
from rest_framework import mixins, viewsets

from commonground.core.viewer import ViewerMixin

from .mixins import fixed_removed


class ServiceViewSetMixin(ViewerMixin):
    """Records the viewer may see come from `selector`; creating, changing and removing them go through services.

    - `selector(viewer=...)` gives the records the viewer may see; a record it leaves out is not found.
    - `create_service(actor=..., **validated_data)` records a new one.
    - `update_service(actor=..., <record_argument>=record, data=...)` changes one; `fixed_fields` are the
      fields a record keeps for life: naming another value for one answers 400 with a field error.
    - `delete_service(actor=..., <record_argument>=record)` removes one.
    """

    selector: Callable[..., QuerySet] | None = None
    create_service: Callable | None = None
    update_service: Callable | None = None
    delete_service: Callable | None = None
    record_argument: str = ""
    fixed_fields: tuple[str, ...] = ()

    def get_queryset(self):
        # Read off the class: a function kept as a class attribute would otherwise be bound to the viewset.
        selector = type(self).selector
        if self.action == "list":
            return self.list_queryset(selector)
        return selector(viewer=self.viewer)

    def list_queryset(self, selector) -> QuerySet:
        """Return the records a list shows (a mixin may narrow them by a query parameter)."""
        return selector(viewer=self.viewer)

    def fixed_held(self, record) -> dict | None:
        """Return, for a fixed field the record has several values of, the values it has."""
        return None

    def update_data(self, serializer) -> dict:
        """Return the changes for the update service, refusing a change to a fixed field."""
        return fixed_removed(serializer, self.fixed_fields, held=self.fixed_held(serializer.instance))

    def written(self, record):
        """Return the record as the response shows it after a write."""
        return record

    def perform_create(self, serializer):
        record = type(self).create_service(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.written(record)

    def perform_update(self, serializer):
        data = self.update_data(serializer)
        record = type(self).update_service(
            actor=self.request.user, data=data, **{self.record_argument: serializer.instance}
        )
        serializer.instance = self.written(record)

    def perform_destroy(self, instance):
        type(self).delete_service(actor=self.request.user, **{self.record_argument: instance})


class ServiceModelViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Records listed, read, created, changed and removed."""


class ReadOnlyServiceViewSet(ServiceViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Records only listed and read."""


class CreateReadUpdateViewSet(
    ServiceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Records kept once made: changed in place, never removed through the API (issues, goals)."""


class CreateReadDeleteViewSet(
    ServiceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Records that are made and removed but never edited in place (seats at a table, co-chairs)."""


class CreateReadViewSet(
    ServiceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Records made and then changed only by their own actions (votes, invitations)."""
