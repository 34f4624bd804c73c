"""What the gateway refuses, and why: one exception each; routes/problems.py says how each is answered."""

from __future__ import annotations

from shared.refusals import Refusal


class GatewayError(Refusal):
    """A request refused by a rule of the gateway; the message says why."""

    default = "The request breaks a rule of the gateway."


class NotFound(GatewayError):
    """No such path or resource, or another partner's (answered alike)."""

    default = "No such resource."


class Forbidden(GatewayError):
    default = "This key's scope does not allow this operation."


class InvalidRequest(GatewayError):
    default = "The request is not valid."


class BatchTooLarge(GatewayError):
    default = "The batch holds more items than the services accept."


class TooManyWebhooks(GatewayError):
    default = "The partner has as many webhook endpoints as allowed."


class DeliveryInProgress(GatewayError):
    default = "The delivery is being attempted; try again shortly."


class UpstreamUnclear(GatewayError):
    """A service answered without what the gateway needs from it."""

    default = "A service did not answer as expected."


class CountersNotYetReceived(GatewayError):
    default = "No counters snapshot has been received yet; try again shortly."


class QrVerificationNotConfigured(GatewayError):
    default = "Set PULSE_QR_PUBLIC_KEY on the gateway so that door devices can verify QR codes."


class QrReaderMissing(GatewayError):
    default = "The door app's QR reader is missing on this gateway; install it with `make door`."
