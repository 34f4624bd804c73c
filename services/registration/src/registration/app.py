"""The registration service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from registration.config import RegistrationSettings
from registration.context import RegistrationContext
from registration.handlers.directory import announce_partners
from registration.handlers.key_shredding import roll_periodically
from registration.repository.directory import OrganisationStore, PartnerStore
from registration.repository.participants import ParticipantStore
from registration.routes import organisations, participants, partners
from shared.mongo.outbox import OutboxRelay
from shared.principal_tokens import PrincipalVerifier
from shared.runtime.service_app import Runtime, create_service_app
from shared.settings import settings_from_environment


def create_app(settings: RegistrationSettings | None = None) -> FastAPI:
    settings = settings or settings_from_environment(RegistrationSettings)

    async def setup(runtime: Runtime, app: FastAPI) -> None:
        db = runtime.db
        participant_store = ParticipantStore(db["participants"], runtime.flavour)
        partner_store = PartnerStore(db["partners"], runtime.flavour)
        organisation_store = OrganisationStore(db["organisations"])
        await participant_store.ensure_indexes()
        await partner_store.ensure_indexes()
        await organisation_store.ensure_indexes()
        relay = OutboxRelay(
            runtime.producer,
            [participant_store.collection, partner_store.collection],
            flavour=runtime.flavour,
        )
        context = RegistrationContext(
            settings=settings,
            participants=participant_store,
            partners=partner_store,
            organisations=organisation_store,
            relay=relay,
        )
        app.state.context = context
        await announce_partners(context)  # before the relay's first pass, which publishes them
        runtime.spawn(relay.run(), "outbox-relay")
        runtime.spawn(
            roll_periodically(runtime.producer, context.keys_topic, settings.key_shred_s), "key-segments"
        )

    return create_service_app(
        settings,
        title="Programme Pulse — registration",
        routers=[partners.router, organisations.router, participants.router],
        setup=setup,
        principals=PrincipalVerifier(settings.principal_public_key, audience=settings.service_name),
    )
