"""Document the error answers every operation can give, so clients (and the fuzzer) know them."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` for errors about the whole request; one key per field, with its messages, for bad input.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": "The input is not valid: field messages, or `non_field_errors`.",
    "401": "No valid credentials were given.",
    "403": "Your role does not allow this.",
    "404": "No such record that you may see.",
    "405": "This method is not allowed here.",
    "414": "The address is too long (the application server refuses it before the application sees it).",
    "415": "The request body's media type is not supported.",
    "429": "Too many requests, or too many failed logins from this address; try again later.",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the error component and the error answers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                # The application server answers an over-long address itself, in HTML.
                media = (
                    {"text/html": {"schema": {"type": "string"}}}
                    if code == "414"
                    else {"application/json": {"schema": reference}}
                )
                responses.setdefault(code, {"description": description, "content": media})
    return result
