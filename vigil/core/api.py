"""API conventions shared by every app: the error shape, and conflicts as 409."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from drf_spectacular.openapi import AutoSchema as _SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent, follow_field_source, force_instance
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from vigil.core.exceptions import ConflictError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ConflictError):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class AutoSchema(_SpectacularAutoSchema):
    """The schema documents the errors every operation can answer, in the shape
    `exception_handler` gives them: 400 (a field's message, or `detail`), 401 (no or expired
    credentials), 403 (a role that may not do this), 404 (not found, or not visible to this
    user: the two are deliberately indistinguishable) and, for a write that carries the
    `version` it read, 409 (the record changed since)."""

    ERRORS = {
        "400": "Bad input: each field's messages under its name, or `detail`.",
        "401": "No credentials, or an expired token.",
        "403": "The user's role may not do this.",
        "404": "No such record, or none this user may see.",
        "409": "The record changed since it was read: read it again and resend with its version.",
    }

    def _get_parameters(self) -> list[dict[str, Any]]:
        """An optional query parameter sent empty means the same as not sent (the filters'
        default), as a form's empty field does: the schema says so with `allowEmptyValue`."""
        parameters: list[dict[str, Any]] = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        """A read-only choice of a model field that may be blank can be "" in a response
        (DRF drops `allow_blank` from read-only fields, so the enum would say it cannot)."""
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            isinstance(field, serializers.ChoiceField)
            and "" not in schema.get("enum", [""])
            and self._model_field_blank(field)
        ):
            schema["enum"] = [*schema["enum"], ""]
        return schema

    @staticmethod
    def _model_field_blank(field: Any) -> bool:
        model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
        if model is None or not field.source or field.source == "*":
            return False
        found = follow_field_source(model, field.source.split("."), emit_warnings=False)
        return bool(getattr(found, "blank", False))

    def resolve_serializer(
        self, serializer: Any, direction: Any, bypass_extensions: bool = False
    ) -> ResolvedComponent:
        """A partial update still carries the version it read: PATCH bodies require it."""
        component: ResolvedComponent = super().resolve_serializer(
            serializer, direction, bypass_extensions
        )
        body = component.schema
        if (
            self.method == "PATCH"
            and direction == "request"
            and isinstance(body, dict)
            and "version" in body.get("properties", {})
            and "version" not in body.get("required", [])
        ):
            body["required"] = [*body.get("required", []), "version"]
        return component

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        error = self._error_component()
        for code, description in self.ERRORS.items():
            if code == "409" and not self._carries_version():
                continue
            responses.setdefault(
                code,
                {"description": description, "content": {"application/json": {"schema": error}}},
            )
        return responses

    def _carries_version(self) -> bool:
        if self.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return False
        serializer = force_instance(self.get_request_serializer())
        fields = getattr(serializer, "fields", None)
        return fields is not None and "version" in fields

    def _error_component(self) -> dict[str, Any]:
        component = ResolvedComponent(
            name="Error",
            type=ResolvedComponent.SCHEMA,
            object="Error",
            schema={
                "type": "object",
                "description": "An error: `detail`, or each field's messages under its name.",
                "properties": {
                    "detail": {
                        "oneOf": [
                            {"type": "string"},
                            {"type": "array", "items": {"type": "string"}},
                        ]
                    }
                },
                "additionalProperties": {
                    "oneOf": [
                        {"type": "array", "items": {}},
                        {"type": "object"},
                        {"type": "string"},
                    ]
                },
            },
        )
        self.registry.register_on_missing(component)
        return component.ref


class CharField(serializers.CharField):
    """Text is text: a number or a boolean sent for a text field is refused (DRF would take
    its digits), so the API takes exactly what its schema says."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class ModelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """The base of every model serializer: a model's text fields become the strict
    `CharField` above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: CharField,
        models.TextField: CharField,
    }


def active(found: Any) -> Any:
    """Narrows reference data to what may still be named (an active officer or leaflet)."""
    return found.filter(
        **{"is_active" if found.model._meta.model_name == "user" else "active": True}
    )


class _Visible:
    """Related fields that name only what the acting user (the serializer context's `user`,
    else the request's) may see, through the model's one scope (`visible_to`), narrowed by
    `narrow`. Anything else "does not exist" whether or not it does; without a user (the
    schema) they name nothing."""

    model: type[models.Model]
    narrow: Callable[[Any], Any] | None
    context: dict[str, Any]

    def _visible(self) -> Any:
        request = self.context.get("request")
        user = self.context.get("user") or getattr(request, "user", None)
        manager: Any = self.model._default_manager
        if user is None or not user.is_authenticated:
            return manager.none()
        found = manager.visible_to(user)
        return self.narrow(found) if self.narrow else found


class VisibleRelatedField(_Visible, serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A record named by id (see `_Visible`)."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        narrow: Callable[[Any], Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.model = model
        self.narrow = narrow
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        return self._visible()


class VisibleSlugRelatedField(_Visible, serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A record named by a unique field, such as an officer by username (see `_Visible`)."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        slug_field: str,
        narrow: Callable[[Any], Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.model = model
        self.narrow = narrow
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(slug_field=slug_field, **kwargs)

    def get_queryset(self) -> Any:
        return self._visible()
