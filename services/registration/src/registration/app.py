"""The registration service's app factory."""

from __future__ import annotations

from fastapi import FastAPI

from registration.config import RegistrationSettings
from registration.context import RegistrationContext
from registration.handlers.directory import announce_partners
from registration.handlers.key_shredding import roll_periodically
from registration.messages import RegistrationMessages
from registration.repository.directory import MongoOrganisationStore, MongoPartnerStore
from registration.repository.participants import MongoParticipantStore
from registration.routes import organisations, participants, partners, problems
from shared.mongo.outbox import OutboxRelay
from shared.principal_tokens import PrincipalVerifier
from shared.runtime.service_app import Runtime, create_service_app
from shared.settings import settings_from_environment


def create_app(settings: RegistrationSettings | None = None) -> FastAPI:
    settings = settings or settings_from_environment(RegistrationSettings)

    async def setup(runtime: Runtime, app: FastAPI) -> None:
        db, flavour = runtime.db, runtime.flavour
        relay = OutboxRelay(runtime.producer, [db["participants"], db["partners"]], flavour=flavour)
        participant_store = MongoParticipantStore(db["participants"], flavour, relay)
        partner_store = MongoPartnerStore(db["partners"], flavour, relay)
        organisation_store = MongoOrganisationStore(db["organisations"])
        await participant_store.ensure_indexes()
        await partner_store.ensure_indexes()
        await organisation_store.ensure_indexes()
        context = RegistrationContext(
            settings=settings,
            participants=participant_store,
            partners=partner_store,
            organisations=organisation_store,
            messages=RegistrationMessages(settings.topics),
        )
        app.state.context = context
        await announce_partners(context)  # before the relay's first pass, which publishes them
        runtime.spawn(relay.run(), "outbox-relay")
        runtime.spawn(
            roll_periodically(runtime.producer, context.keys_topic, settings.key_shred_s), "key-segments"
        )

    app = create_service_app(
        settings,
        title="Programme Pulse — registration",
        routers=[partners.router, organisations.router, participants.router],
        setup=setup,
        principals=PrincipalVerifier(settings.principal_public_key, audience=settings.service_name),
    )
    problems.install(app)
    return app
