"""The public OpenAPI document as the gateway serves it, built without running anything (docs/api.md).

The gateway merges the services' documents at run time (gateway.routes.openapi); this builds the same
merge from the four apps in-process, to commit as docs/openapi.json and to generate the Python client
from (`make client`).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from events.app import create_app as events_app
from events.config import EventsSettings
from gateway.app import create_app as gateway_app
from gateway.config import GatewaySettings
from gateway.routes.openapi import DESCRIPTION, merge
from metrics.app import create_app as metrics_app
from metrics.config import MetricsSettings
from registration.app import create_app as registration_app
from registration.config import RegistrationSettings
from shared.http.api_document import generate
from shared.signed_tokens import generate_keypair

# Never used to answer anything: the apps refuse to be built without an admin key and principal keys.
_PLACEHOLDER_ADMIN_KEY = "document-only-" + "0" * 24


def public_document() -> dict[str, Any]:
    private, public = generate_keypair()
    gateway = gateway_app(GatewaySettings(admin_key=_PLACEHOLDER_ADMIN_KEY, principal_private_key=private))
    services = [
        registration_app(RegistrationSettings(principal_public_key=public)).openapi(),
        events_app(EventsSettings(principal_public_key=public)).openapi(),
        metrics_app(MetricsSettings(principal_public_key=public)).openapi(),
    ]
    return merge(generate(gateway, DESCRIPTION), services)


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render(public_document()))
