"""The service's refusals, each shaped as the model's error structure says."""

from __future__ import annotations

from emulator.protocol import ServiceError


def validation(message: str, field: str | None = None) -> ServiceError:
    if field is None:
        return ServiceError("ValidationException", message, Reason="OTHER")
    return ServiceError(
        "ValidationException",
        message,
        Reason="FIELD_VALIDATION_FAILED",
        Fields=[{"Name": field, "Message": message}],
    )


def not_found(resource_id: str, resource_type: str, message: str | None = None) -> ServiceError:
    return ServiceError(
        "ResourceNotFoundException",
        message or f"{resource_type} {resource_id} was not found",
        ResourceId=resource_id,
        ResourceType=resource_type,
    )


def conflict(message: str, resource_id: str | None, resource_type: str) -> ServiceError:
    if resource_id is None:  # the conflict-resource-id switch's "absent"
        return ServiceError("ConflictException", message, ResourceType=resource_type)
    return ServiceError("ConflictException", message, ResourceId=resource_id, ResourceType=resource_type)


def access_denied(message: str) -> ServiceError:
    return ServiceError("AccessDeniedException", message)
