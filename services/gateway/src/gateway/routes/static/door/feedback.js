// A sound and a vibration for each answer, so staff need not look: one high beep for yes, two for "already",
// one long low tone for no. Browsers allow sound only after a first touch; vibration where the device has it.

const TONES = {
  accepted: [[880, 0.15]],
  duplicate: [[660, 0.12], [660, 0.12]],
  refused: [[220, 0.45]],
};
const VIBRATIONS = { accepted: [80], duplicate: [80, 80, 80], refused: [400] };
let audio = null;

export function unlockSound() {
  if (!audio && globalThis.AudioContext) audio = new AudioContext();
  if (audio && audio.state === "suspended") audio.resume().catch(() => {});
}

export function signal(kind) {
  if (navigator.vibrate) navigator.vibrate(VIBRATIONS[kind]);
  if (!audio || audio.state !== "running") return;
  let at = audio.currentTime;
  for (const [frequency, seconds] of TONES[kind]) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.25, at);
    gain.gain.exponentialRampToValueAtTime(0.001, at + seconds);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + seconds);
    at += seconds + 0.08;
  }
}
