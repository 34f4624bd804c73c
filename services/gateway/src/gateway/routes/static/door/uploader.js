// Uploads queued check-ins one by one, oldest first, each with its own checkin_id and original time, so a
// retry after a lost answer is recognised by the server (200, the first check-in) and never counted twice.
// 429 and 503 are waited out for as long as Retry-After says; network errors back off up to 30 s.

const MAX_BACKOFF_MS = 30_000;
const LOCK = "pulse-door-upload"; // one uploader per device, however many tabs are open

export function retryAfterMs(response, fallbackMs) {
  const value = response.headers.get("Retry-After");
  if (!value) return fallbackMs;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Math.min(Math.max(ms, 0), 5 * 60_000);
}

export class Uploader {
  constructor({ store, device, onChange, onDrained, onBlocked }) {
    this.store = store;
    this.device = device;
    this.onChange = onChange;
    this.onDrained = onDrained;
    this.onBlocked = onBlocked;
    this.running = false;
    this.timer = null;
    this.backoffMs = 1000;
    this.blocked = false;
  }

  // Start uploading now unless a run is already going or a Retry-After is being waited out.
  kick({ force = false } = {}) {
    if (force && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.running || this.timer || this.blocked) return;
    this.running = true;
    const run = () => this.drain().finally(() => (this.running = false));
    (navigator.locks ? navigator.locks.request(LOCK, run) : run()).catch((error) => console.error(error));
  }

  later(ms) {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, ms);
  }

  async drain() {
    for (;;) {
      const next = await this.store.nextQueued();
      if (!next) return this.onDrained();
      let response;
      try {
        response = await fetch(`/v1/events/${encodeURIComponent(this.device.event.id)}/checkins`, {
          method: "POST",
          headers: { Authorization: `Bearer ${this.device.key}`, "Content-Type": "application/json" },
          body: JSON.stringify({ qr_token: next.token, checkin_id: next.checkin_id, checked_in_at: next.checked_in_at }),
        });
      } catch {
        this.later(this.backoffMs);
        this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
        return;
      }
      const outcome = await this.settle(next, response);
      if (!outcome) return;
      this.backoffMs = 1000;
      await this.onChange(next, ...outcome);
    }
  }

  // What one answer means for the check-in: [state, detail], or null when uploading must pause.
  async settle(checkin, response) {
    const status = response.status;
    if (status === 201 || status === 200) {
      const first = await response.json();
      // 200 with our own checkin_id: an earlier attempt of ours was stored but its answer was lost.
      const state = first.checkin_id === checkin.checkin_id ? "recorded" : "duplicate";
      await this.store.settle(checkin.checkin_id, { state, server_checked_in_at: first.checked_in_at });
      return [state, first.checked_in_at];
    }
    if (status === 429 || status === 503) {
      this.later(retryAfterMs(response, 2000));
      return null;
    }
    if (status === 401 || status === 403 || status === 404) {
      this.blocked = true; // revoked, expired or wrong event: nothing will upload until a new set-up
      this.onBlocked(status);
      return null;
    }
    if (status >= 400 && status < 500) {
      const problem = await response.json().catch(() => ({}));
      const refusal = problem.detail || `HTTP ${status}`;
      await this.store.settle(checkin.checkin_id, { state: "refused", refusal });
      return ["refused", refusal];
    }
    this.later(this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    return null;
  }
}
