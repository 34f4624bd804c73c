// What the device keeps in IndexedDB: its set-up (event, check-in key, QR public key) and its check-ins.
// A check-in is stored before its answer is shown, so closing the app loses nothing still to upload.

const DB_NAME = "pulse-door";
const DEVICE = "device";
const CHECKINS = "checkins";
export const QUEUED = "queued";

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
  });
}

export async function openStore() {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    db.createObjectStore(DEVICE);
    const checkins = db.createObjectStore(CHECKINS, { keyPath: "checkin_id" });
    checkins.createIndex("pid", "pid", { unique: true });
    checkins.createIndex("state", "state");
  };
  return new Store(await request(open));
}

class Store {
  constructor(db) {
    this.db = db;
  }

  async device() {
    return (await request(this.db.transaction(DEVICE).objectStore(DEVICE).get("current"))) || null;
  }

  // Set-up for another event starts a fresh list ("already checked in" belongs to one event); a new key for
  // the same event keeps it, so check-ins a revoked key could not upload go up with the new one.
  async setUp(device) {
    const tx = this.db.transaction([DEVICE, CHECKINS], "readwrite");
    const current = await request(tx.objectStore(DEVICE).get("current"));
    if (!current || current.event.id !== device.event.id) tx.objectStore(CHECKINS).clear();
    tx.objectStore(DEVICE).put(device, "current");
    await done(tx);
  }

  async update(changes) {
    const tx = this.db.transaction(DEVICE, "readwrite");
    const current = await request(tx.objectStore(DEVICE).get("current"));
    if (current) tx.objectStore(DEVICE).put({ ...current, ...changes }, "current");
    await done(tx);
  }

  async forget() {
    const tx = this.db.transaction([DEVICE, CHECKINS], "readwrite");
    tx.objectStore(DEVICE).delete("current");
    tx.objectStore(CHECKINS).clear();
    await done(tx);
  }

  // The first check-in of this participant, or null after storing `fresh` as the first, in one transaction.
  async firstOrAdd(fresh) {
    const tx = this.db.transaction(CHECKINS, "readwrite");
    const store = tx.objectStore(CHECKINS);
    const first = await request(store.index("pid").get(fresh.pid));
    if (!first) store.add(fresh);
    await done(tx);
    return first || null;
  }

  async nextQueued() {
    const queued = await request(this.db.transaction(CHECKINS).objectStore(CHECKINS).index("state").getAll(QUEUED));
    queued.sort((a, b) => a.checked_in_at.localeCompare(b.checked_in_at));
    return queued[0] || null;
  }

  async count(state) {
    return request(this.db.transaction(CHECKINS).objectStore(CHECKINS).index("state").count(state));
  }

  async settle(checkinId, changes) {
    const tx = this.db.transaction(CHECKINS, "readwrite");
    const store = tx.objectStore(CHECKINS);
    const record = await request(store.get(checkinId));
    if (record) store.put({ ...record, ...changes });
    await done(tx);
  }
}
