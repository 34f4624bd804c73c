"""What the gateway refuses, and why: one exception each; routes/problems.py says how each is answered."""

from __future__ import annotations

from shared.refusals import Refusal


class GatewayError(Refusal):
    """A request refused by a rule of the gateway; the message says why."""

    default = "The request breaks a rule of the gateway."


class NotAuthenticated(GatewayError):
    """No usable key where one is needed, or a key that is not (any more) usable."""

    default = "The API key is missing, malformed, unknown, revoked or expired."


class RateLimited(GatewayError):
    """Over a key's or a failing address's limit: worth trying again after `retry_after_s` whole seconds."""

    def __init__(self, retry_after_s: float) -> None:
        self.retry_after_s = max(1, int(retry_after_s + 0.999))
        super().__init__(f"Rate limit exceeded; retry in {self.retry_after_s} s.")


class UpstreamUnavailable(GatewayError):
    """A service was not asked (busy) or could not be reached: safe to retry shortly."""

    default = "A service is unavailable; try again shortly."


class UpstreamTimedOut(GatewayError):
    """A service did not answer in time; it may have applied the request."""

    default = "A service did not answer in time."


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


class ProgrammeNotFound(GatewayError):
    default = "No figures were ever received for this programme."


class CountersNotYetReceived(GatewayError):
    default = "No counters snapshot has been received yet; try again shortly."


class QrVerificationNotConfigured(GatewayError):
    default = "Set PULSE_QR_PUBLIC_KEY on the gateway so that door devices can verify QR codes."


class QrReaderMissing(GatewayError):
    default = "The door app's QR reader is missing on this gateway; install it with `make door`."
