// The door app's service worker: the app shell and the QR reader come from this cache first, so the app opens
// and answers scans with no network. The gateway stamps VERSION with a hash of these files: any change
// installs a new worker, which replaces the cache. API calls (/v1/...) are never cached or intercepted.
"use strict";

const VERSION = "__DOOR_VERSION__";
const CACHE = `pulse-door-${VERSION}`;
const SHELL = [
  "/door/",
  "/door/manifest.webmanifest",
  "/door/app/door.css",
  "/door/app/door.js",
  "/door/app/camera.js",
  "/door/app/feedback.js",
  "/door/app/store.js",
  "/door/app/tokens.js",
  "/door/app/uploader.js",
  "/door/app/icon.svg",
  "/door/scanner/reader.js",
  "/door/scanner/zxing_reader.wasm",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL.map((path) => new Request(path, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("pulse-door-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !SHELL.includes(url.pathname)) return;
  event.respondWith(
    caches.match(url.pathname, { cacheName: CACHE }).then((cached) => cached || fetch(event.request)),
  );
});
