// Door set-up: an organiser's key makes a check-in key for one event (POST /v1/events/{id}/checkin-keys);
// the page shows it as a QR code holding the door app's link, <gateway>/door/#event=<id>&key=<key>. The
// key travels in the link's fragment, which browsers never send to a server.

const $ = (id) => document.getElementById(id);
const moment = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

async function problem(response) {
  const body = await response.json().catch(() => ({}));
  return body.detail || body.title || `HTTP ${response.status}`;
}

async function makeKey(form) {
  const headers = { Authorization: `Bearer ${form.api_key.value.trim()}`, "Content-Type": "application/json" };
  const eventId = form.event_id.value.trim();
  const eventPath = `/v1/events/${encodeURIComponent(eventId)}`;
  const event = await fetch(eventPath, { headers });
  if (!event.ok) throw new Error(`That event cannot be read with this key: ${await problem(event)}`);
  const expiresAt = new Date(Date.now() + Number(form.hours.value) * 3600_000).toISOString();
  const body = { expires_at: expiresAt, ...(form.label.value.trim() ? { label: form.label.value.trim() } : {}) };
  const made = await fetch(`${eventPath}/checkin-keys`, { method: "POST", headers, body: JSON.stringify(body) });
  if (!made.ok) throw new Error(`No key was made: ${await problem(made)}`);
  return { event: await event.json(), key: await made.json() };
}

async function showCode({ event, key }) {
  const link = `${location.origin}/door/#${new URLSearchParams({ event: event.id, key: key.key })}`;
  const { svg, error } = await globalThis.ZXingWASM.writeBarcode(link, { format: "QRCode", options: "ecLevel=M", scale: 4 });
  if (error) throw new Error(`The QR code could not be drawn: ${error}`);
  const drawing = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
  // zint draws at a fixed size: a viewBox lets the code fill the box at any screen width.
  drawing.setAttribute("viewBox", `0 0 ${drawing.getAttribute("width")} ${drawing.getAttribute("height")}`);
  drawing.removeAttribute("width");
  drawing.removeAttribute("height");
  $("qr").replaceChildren(document.importNode(drawing, true));
  $("setup-link").textContent = link;
  $("made-event").textContent = `${event.title} — ${moment.format(new Date(event.starts_at))}${event.venue ? `, ${event.venue}` : ""}`;
  $("made-expiry").textContent = `The key works until ${moment.format(new Date(key.expires_at))}.`;
  $("key-id").textContent = key.id;
  $("made").hidden = false;
  $("made").scrollIntoView();
}

function main() {
  globalThis.ZXingWASM?.prepareZXingModule({
    overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? `/door/scanner/${path}` : prefix + path) },
  });
  const params = new URLSearchParams(location.search);
  if (params.get("event")) $("event-id").value = params.get("event");
  $("key-form").addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    $("key-message").textContent = "Making the key…";
    try {
      await showCode(await makeKey(submitted.target));
      $("key-message").textContent = "";
    } catch (error) {
      $("key-message").textContent = error.message;
    }
  });
}

main();
