// QR check-in tokens verified on the device, as the events service verifies them (shared/qr_tokens.py):
// `<base64url(payload JSON)>.<base64url(Ed25519 signature of the first part)>`, payload {pid, prt, prg, exp}.
// WebCrypto's Ed25519 does the signature check, so the answer needs no network.

const B64URL = /^[A-Za-z0-9_-]+$/;

export function fromBase64Url(text) {
  if (!B64URL.test(text) || text.length % 4 === 1) throw new Error("not base64url");
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  // One spelling per token, as on the server: a last character's spare bits must be zero.
  if (toBase64Url(bytes) !== text) throw new Error("not canonical base64url");
  return bytes;
}

export function toBase64Url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function importQrKey(encoded) {
  const raw = fromBase64Url(encoded.trim().replace(/=+$/, ""));
  return crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
}

// Manual entry tolerates what printing and typing add: spaces, line breaks and hyphens between groups.
export function normaliseTyped(text) {
  return text.replace(/\s+/g, "");
}

function claimsOf(payload) {
  const claims = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload));
  const names = Object.keys(claims).sort().join(",");
  const typed =
    typeof claims.pid === "string" && typeof claims.prt === "string" &&
    typeof claims.prg === "string" && Number.isInteger(claims.exp);
  if (names !== "exp,pid,prg,prt" || !typed) throw new Error("unexpected payload");
  return claims;
}

// Returns {verdict, claims}: "valid", "invalid" (malformed, tampered or signed by another key),
// "expired", or "other-programme" (a genuine token of another programme).
export async function checkToken(token, key, programmeId, nowSeconds) {
  const dot = token.indexOf(".");
  if (dot <= 0 || dot === token.length - 1) return { verdict: "invalid" };
  const body = token.slice(0, dot);
  let claims;
  try {
    const signature = fromBase64Url(token.slice(dot + 1));
    const signed = new TextEncoder().encode(body);
    if (!(await crypto.subtle.verify({ name: "Ed25519" }, key, signature, signed))) return { verdict: "invalid" };
    claims = claimsOf(fromBase64Url(body));
  } catch {
    return { verdict: "invalid" };
  }
  if (claims.exp < nowSeconds) return { verdict: "expired", claims };
  if (claims.prg !== programmeId) return { verdict: "other-programme", claims };
  return { verdict: "valid", claims };
}
