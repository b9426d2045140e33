"""The program's public documents in the OpenAPI schema: the JWKS and the checkpoint bundle (keys, revocation
lists, activations) are plain pages without a login (`credentials.public`), so drf-spectacular does not see them."""

JWK = {
    "type": "object",
    "required": ["kty", "crv", "x", "y", "kid", "alg", "use"],
    "properties": {
        "kty": {"type": "string", "enum": ["EC"]},
        "crv": {"type": "string", "enum": ["P-256"]},
        "x": {"type": "string"},
        "y": {"type": "string"},
        "kid": {"type": "string", "description": "The key's RFC 7638 thumbprint."},
        "alg": {"type": "string", "enum": ["ES256"]},
        "use": {"type": "string", "enum": ["sig"]},
    },
}
JWKS = {
    "type": "object",
    "required": ["keys"],
    "properties": {"keys": {"type": "array", "items": {"$ref": "#/components/schemas/CredentialJWK"}}},
}
BUNDLE = {
    "type": "object",
    "required": ["community", "generated_at", "keys", "revocations", "activations"],
    "properties": {
        "community": {"type": "string"},
        "generated_at": {"type": "string", "format": "date-time"},
        "keys": {"type": "array", "items": {"$ref": "#/components/schemas/CredentialJWK"}},
        "revocations": {
            "type": "array",
            "description": "Per key, the revocation ids no active credential holds, and a counter that moves "
            "with each revocation.",
            "items": {
                "type": "object",
                "properties": {
                    "kid": {"type": "string"},
                    "counter": {"type": "integer"},
                    "rids": {"type": "array", "items": {"type": "integer"}},
                },
            },
        },
        "activations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "kinds": {"type": "array", "items": {"type": "string"}},
                    "starts_at": {"type": "string", "format": "date-time"},
                    "ends_at": {"type": "string", "format": "date-time"},
                    "facilities": {"type": "array", "items": {"type": "integer"}},
                },
            },
        },
    },
}


def _operation(operation_id: str, summary: str, schema: str) -> dict:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "tags": ["credentials"],
            "security": [{}],
            "parameters": [
                {
                    "name": "slug",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                    "description": "The community's slug.",
                },
                {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}},
            ],  # fmt: skip
            "responses": {
                "200": {
                    "description": "The document, with its ETag.",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                },
                "304": {"description": "Not changed since the ETag named in If-None-Match."},
                "404": {"description": "No such community, or it has no credential program."},
                "414": {
                    "description": "The address is too long.",
                    "content": {"text/html": {"schema": {"type": "string"}}},
                },
            },
        }
    }


def add_public_documents(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the JWKS and the checkpoint bundle."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(CredentialJWK=JWK, CredentialJWKS=JWKS, CredentialCheckpointBundle=BUNDLE)
    paths = result.setdefault("paths", {})
    paths["/c/{slug}/credentials/jwks.json"] = _operation(
        "credentials_jwks", "The community's published public keys (JWKS).", "CredentialJWKS"
    )
    paths["/c/{slug}/credentials/checkpoint.json"] = _operation(
        "credentials_checkpoint_bundle",
        "What a checkpoint keeps offline: the keys, the revocation lists, the current and coming activations.",
        "CredentialCheckpointBundle",
    )
    return result
