// Pulse Door: set up by scanning the organiser's code, then scan participants' QR codes. Every answer comes
// from this device (signature checked with the QR public key), so it is instant with or without a network;
// check-ins queue in IndexedDB and upload when the network allows. Text only ever goes in through textContent.

import { loadReader, scanContinuously, startCamera } from "./camera.js";
import { signal, unlockSound } from "./feedback.js";
import { openStore, QUEUED } from "./store.js";
import { checkToken, importQrKey, normaliseTyped } from "./tokens.js";
import { Uploader } from "./uploader.js";

// The count scans the attendance on FerretDB (docs/door.md): read it seldom, and only while on screen.
const COUNT_EVERY_MS = 30_000;
const UPLOAD_CHECK_EVERY_MS = 15_000;
const RECENT_KEPT = 30;
const $ = (id) => document.getElementById(id);
const timeOnly = new Intl.DateTimeFormat("en-GB", { timeStyle: "short" });
const dayAndTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

const ANSWERS = {
  accepted: { title: "✓ Checked in", sound: "accepted" },
  duplicate: { title: "Already checked in", sound: "duplicate" },
  "other-programme": { title: "✕ Not valid for this programme", sound: "refused" },
  expired: { title: "✕ Code expired", sound: "refused" },
  invalid: { title: "✕ Not a valid code", sound: "refused" },
};

const state = { store: null, device: null, qrKey: null, uploader: null, busy: Promise.resolve() };

function when(iso) {
  const moment = new Date(iso);
  return moment.toDateString() === new Date().toDateString() ? timeOnly.format(moment) : dayAndTime.format(moment);
}

function participantRef(pid) {
  return `participant …${pid.slice(-4)}`;
}

function show(kind, title, detail) {
  const result = $("result");
  result.dataset.state = kind;
  $("result-title").textContent = title;
  $("result-detail").textContent = detail;
  addRecent(kind, `${title}: ${detail}`);
}

function addRecent(kind, text) {
  const item = document.createElement("li");
  item.dataset.state = kind;
  item.textContent = `${timeOnly.format(new Date())} — ${text}`;
  const recent = $("recent");
  recent.prepend(item);
  while (recent.children.length > RECENT_KEPT) recent.lastChild.remove();
}

function answer(kind, detail) {
  show(kind, ANSWERS[kind].title, detail);
  signal(ANSWERS[kind].sound);
}

const REFUSALS = {
  "other-programme": "This code belongs to another programme.",
  expired: "Ask the participant for a new QR code.",
  invalid: "Damaged, changed, or not a check-in code. Try again, or type the code.",
};

async function answerToken(token) {
  const now = new Date();
  const { verdict, claims } = await checkToken(token, state.qrKey, state.device.event.programme_id, now / 1000);
  if (verdict !== "valid") return answer(verdict, REFUSALS[verdict]);
  const fresh = { checkin_id: crypto.randomUUID(), pid: claims.pid, token, checked_in_at: now.toISOString(), state: QUEUED };
  const first = await state.store.firstOrAdd(fresh);
  if (first) {
    return answer("duplicate", `First checked in at ${when(first.server_checked_in_at || first.checked_in_at)}.`);
  }
  answer("accepted", `Welcome, ${participantRef(claims.pid)}.`);
  await showQueue();
  state.uploader.kick();
}

// Codes are answered one at a time, in the order they were read.
function handleCode(text) {
  state.busy = state.busy.then(() => (state.device ? answerCode(text) : setUpFrom(text))).catch(console.error);
  return state.busy;
}

async function answerCode(text) {
  const link = setupLinkOf(text);
  if (link) {
    return show("info", "Set-up code", `This device is already set up for “${state.device.event.title}”. Sign out first to change.`);
  }
  return answerToken(text);
}

// Set-up codes are links to this app: <gateway>/door/#event=<event id>&key=<check-in key>.
function setupLinkOf(text) {
  let url;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  const params = new URLSearchParams(url.hash.slice(1));
  if (url.pathname !== "/door/" || !params.get("event") || !params.get("key")) return null;
  return { origin: url.origin, href: url.href, eventId: params.get("event"), key: params.get("key") };
}

// Set-up news goes to the set-up form, or to the attention line once the device is set up.
function setupMessage(text) {
  if (state.device) attention(text);
  else $("setup-message").textContent = text;
}

async function fetchSetup(link) {
  const headers = { Authorization: `Bearer ${link.key}` };
  const [eventResponse, configResponse] = await Promise.all([
    fetch(`/v1/events/${encodeURIComponent(link.eventId)}`, { headers }),
    fetch("/door/config.json"),
  ]);
  if (eventResponse.status === 401) throw new Error("This set-up code no longer works (revoked or expired). Ask the organiser for a new one.");
  if (!eventResponse.ok) throw new Error(`This set-up code does not open its event (HTTP ${eventResponse.status}).`);
  if (!configResponse.ok) throw new Error("This gateway cannot verify QR codes yet: PULSE_QR_PUBLIC_KEY is not set.");
  const event = await eventResponse.json();
  const { qr_public_key: qrPublicKey } = await configResponse.json();
  await importQrKey(qrPublicKey); // refuse a key this browser cannot use before storing anything
  const fields = ["id", "title", "starts_at", "ends_at", "venue", "region", "programme_id"];
  return { event: Object.fromEntries(fields.map((name) => [name, event[name] ?? null])), key: link.key, qr_public_key: qrPublicKey };
}

// True when the device is set up and the app reloads with it.
async function setUpFrom(text) {
  const link = setupLinkOf(text);
  if (!link) return setupMessage("That is not a set-up code. Scan the code on the organiser's “Door set-up” page.");
  if (link.origin !== location.origin) {
    location.assign(link.href); // that gateway's own door app sets itself up
    return true;
  }
  setupMessage("Setting up…");
  let device;
  try {
    device = await fetchSetup(link);
  } catch (error) {
    return setupMessage(error instanceof TypeError ? "Setting up needs the network once. Connect and try again." : error.message);
  }
  const current = await state.store.device();
  const waiting = await state.store.count(QUEUED);
  if (current && current.event.id !== device.event.id && waiting) {
    return setupMessage(`${waiting} check-in(s) for “${current.event.title}” still wait to upload. Let them upload (or sign out) first.`);
  }
  await state.store.setUp({ ...device, set_up_at: new Date().toISOString() });
  location.replace("/door/"); // the key leaves the address bar and the history
  return true;
}

async function begin(device) {
  state.device = device;
  state.qrKey = await importQrKey(device.qr_public_key);
  const { event } = device;
  $("event-title").textContent = event.title;
  const where = [event.venue, event.region].filter(Boolean).join(", ");
  const hours = event.starts_at && `${when(event.starts_at)}–${timeOnly.format(new Date(event.ends_at))}`;
  $("event-when").textContent = [hours, where].filter(Boolean).join(" · ");
  document.body.dataset.mode = "scan";
  state.uploader = new Uploader({
    store: state.store,
    device,
    onChange: uploaded,
    onDrained: showCount,
    onBlocked: () => attention("This device's check-in key no longer works (revoked or expired). Ask the organiser for a new set-up code for this event: waiting check-ins then upload with it."),
  });
  await showQueue();
  state.uploader.kick();
  showCount();
  refreshQrKey();
}

// After the QR signing pair is rotated, a device picks the new public key up the next time it opens online.
async function refreshQrKey() {
  try {
    const response = await fetch("/door/config.json");
    if (!response.ok) return;
    const { qr_public_key: latest } = await response.json();
    if (latest === state.device.qr_public_key) return;
    state.qrKey = await importQrKey(latest);
    state.device = { ...state.device, qr_public_key: latest };
    await state.store.update({ qr_public_key: latest });
  } catch {
    // offline: the stored key goes on answering
  }
}

// What an upload taught us beyond "stored": listed under Recent scans, away from the answer on screen.
function uploaded(checkin, outcome, detail) {
  const who = participantRef(checkin.pid);
  if (outcome === "duplicate") addRecent("uploaded-duplicate", `${who} was checked in earlier, at ${when(detail)}, on another device or upload.`);
  if (outcome === "refused") addRecent("refused", `The server refused ${who}'s check-in: ${detail}`);
  return showQueue();
}

function attention(text) {
  $("attention").hidden = !text;
  $("attention").textContent = text;
}

async function showQueue() {
  const [waiting, refused] = await Promise.all([state.store.count(QUEUED), state.store.count("refused")]);
  const queue = $("queue");
  queue.dataset.waiting = String(waiting);
  queue.textContent = `${waiting} waiting to upload`;
  if (refused) attention(`${refused} check-in(s) were refused by the server when uploaded; see Recent scans.`);
}

async function showCount() {
  if (!state.device || !navigator.onLine || document.hidden) return;
  const count = $("count");
  try {
    const response = await fetch(`/v1/events/${encodeURIComponent(state.device.event.id)}/checkins/count`, {
      headers: { Authorization: `Bearer ${state.device.key}` },
    });
    if (!response.ok) return;
    const { checked_in: checkedIn } = await response.json();
    count.textContent = `${checkedIn} checked in here`;
    count.dataset.count = String(checkedIn);
    count.hidden = false;
  } catch {
    count.hidden = true; // no live count without a network; the answers do not need one
  }
}

function showNetwork() {
  const network = $("network");
  network.dataset.state = navigator.onLine ? "online" : "offline";
  network.textContent = navigator.onLine ? "Online" : "Offline — still checking in";
}

async function signOut() {
  const waiting = await state.store.count(QUEUED);
  const question = `${waiting} check-in(s) have not been uploaded yet and will be lost. Sign out anyway?`;
  if (waiting && !confirm(question)) return;
  await state.store.forget();
  location.replace("/door/");
}

async function startScanning() {
  let reader;
  try {
    reader = loadReader();
    await startCamera($("camera"));
  } catch (error) {
    $("camera-message").textContent = `Camera or QR reader unavailable (${error.message}). Type or paste codes instead.`;
    return;
  }
  scanContinuously($("camera"), reader, handleCode);
}

async function main() {
  showNetwork();
  addEventListener("online", () => {
    showNetwork();
    state.uploader?.kick({ force: true });
    showCount();
  });
  addEventListener("offline", showNetwork);
  addEventListener("pointerdown", unlockSound, { once: true });
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/door/sw.js", { scope: "/door/" }).catch(console.error);
  state.store = await openStore();
  $("setup-form").addEventListener("submit", (event) => {
    event.preventDefault();
    handleCode($("setup-link").value);
  });
  $("manual").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = normaliseTyped($("manual-code").value);
    $("manual-code").value = "";
    if (code) handleCode(code);
  });
  $("sign-out").addEventListener("click", signOut);
  setInterval(() => state.uploader?.kick(), UPLOAD_CHECK_EVERY_MS);
  setInterval(showCount, COUNT_EVERY_MS);
  const device = await state.store.device();
  if (device) await begin(device);
  else document.body.dataset.mode = "setup";
  // A set-up link opened on purpose (camera app, pasted) sets up even a device already set up.
  if (setupLinkOf(location.href) && (await setUpFrom(location.href))) return;
  await startScanning();
}

main();
