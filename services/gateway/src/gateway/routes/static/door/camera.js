// The camera, read continuously with zxing-wasm's QR reader (its built files come from the npm registry,
// installed by `make door`). A code that stays in view is answered once; it is answered again only after it
// has been out of view for a moment, so a participant can be re-scanned on purpose but not by lingering.

const FRAME_GAP_MS = 80;
const OUT_OF_VIEW_MS = 1500;
const MAX_SIDE = 720;

export function loadReader() {
  if (!globalThis.ZXingWASM) throw new Error("the QR reader did not load");
  globalThis.ZXingWASM.prepareZXingModule({
    overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? `/door/scanner/${path}` : prefix + path) },
  });
  return globalThis.ZXingWASM;
}

export async function startCamera(video) {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 } },
    audio: false,
  });
  video.srcObject = stream;
  await video.play();
  return stream;
}

export function scanContinuously(video, reader, onCode) {
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  let last = { text: null, seenAt: 0 };
  let stopped = false;

  async function frame() {
    if (stopped) return;
    try {
      if (video.readyState >= 2 && video.videoWidth > 0) {
        const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        const [found] = await reader.readBarcodes(image, { formats: ["QRCode"], maxNumberOfSymbols: 1 });
        const now = performance.now();
        if (found && found.isValid && found.text) {
          const repeat = found.text === last.text && now - last.seenAt < OUT_OF_VIEW_MS;
          last = { text: found.text, seenAt: now };
          if (!repeat) await onCode(found.text);
        }
      }
    } catch (error) {
      console.error(error);
    }
    setTimeout(frame, FRAME_GAP_MS);
  }
  frame();
  return () => (stopped = true);
}
