"""The OpenAPI document's settings (drf-spectacular): its title, its viewers, and the names of its shared enums."""

SPECTACULAR_SETTINGS = {
    "TITLE": "Common Ground API",
    "DESCRIPTION": "REST API of Common Ground, the platform for public-private partnerships for joint "
    "crisis management. Every list honours the Traffic Light Protocol for the caller.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "commonground.core.api.schema.add_error_responses",
        # After the error answers: the public documents answer only their own (no login, no JSON errors).
        "commonground.credentials.api.schema.add_public_documents",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CategoryEnum": "commonground.registry.choices.CATEGORY_CHOICES",
        "TLPEnum": "commonground.core.tlp.TLP",
        "OrganizationMarkingEnum": "commonground.core.tlp.ORGANIZATION_MARKINGS",
        "LikelihoodEnum": "commonground.risks.choices.Likelihood",
        "ImpactEnum": "commonground.risks.choices.Impact",
        "VulnerabilityEnum": "commonground.risks.choices.Vulnerability",
        "PreparednessEnum": "commonground.risks.choices.Preparedness",
        "GovernmentLevelEnum": "commonground.registry.choices.GovernmentLevel",
        "CapabilityLevelEnum": "commonground.sustainability.choices.Level",
        "NeedImportanceEnum": "commonground.sustainability.choices.Importance",
        "PoeteEnum": "commonground.sustainability.choices.Poete",
        "TaskStatusEnum": "commonground.sustainability.choices.TaskStatus",
        # Named here because the incidents' API reuses their field names ("kind", "category", "severity",
        # "state") or their choices (a request's terms and minimum capability type are a resource's).
        "ResourceKindEnum": "commonground.resources.choices.ResourceKind",
        "ResourceCategoryEnum": "commonground.resources.choices.CATEGORY_CHOICES",
        "CapabilityTypeEnum": "commonground.resources.choices.CapabilityType",
        "TermsEnum": "commonground.resources.choices.SharingTerms",
        "SeverityEnum": "commonground.agenda.choices.Severity",
        "StateEnum": "commonground.communities.choices.US_STATES",
        "CapSeverityEnum": "commonground.incidents.choices.CapSeverity",
        "RequestStateEnum": "commonground.incidents.choices.RequestState",
        # A newsletter's own words are marked as an issue is (TLP:CLEAR or GREEN), and its audience names a
        # sector: the names the issues' and organizations' schemas had before newsletters shared them.
        "IssueTlpEnum": "commonground.agenda.choices.ISSUE_MARKINGS",
        "SectorEnum": "commonground.registry.choices.Sector",
        "CredentialKindEnum": "commonground.credentials.choices.CredentialKind",
        "CredentialStatusEnum": "commonground.credentials.choices.CredentialStatus",
        "NominationStatusEnum": "commonground.credentials.choices.NominationStatus",
        "CriticalReasonEnum": "commonground.credentials.choices.CriticalReason",
        "CheckResultEnum": "commonground.credentials.choices.CheckResult",
    },
}
