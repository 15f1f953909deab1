/**
 * What a scanning device remembers between shifts, in localStorage: its own id (so the server
 * can tell devices apart and report duplicates across them), its gate name, and how many scans
 * it made per event. Storage may be unavailable (private mode); the scanner then still works.
 */

const DEVICE_ID_KEY = 'tickitnow.scanner.deviceId';
const GATE_KEY = 'tickitnow.scanner.gate';
const countKey = (eventId: string) => `tickitnow.scanner.count.${eventId}`;

function readItem(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeItem(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not remembered across reloads, which is all this costs.
  }
}

/** A random id: WebCrypto's random numbers, available even outside secure contexts. */
export function randomId(prefix = ''): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** This device's id, made once and kept. */
export function readDeviceId(): string {
  const existing = readItem(DEVICE_ID_KEY);
  if (existing && /^[A-Za-z0-9_-]{1,100}$/.test(existing)) return existing;
  const id = randomId('device-').slice(0, 23);
  writeItem(DEVICE_ID_KEY, id);
  return id;
}

export function readGate(): string {
  return readItem(GATE_KEY) ?? '';
}

export function saveGate(gate: string) {
  writeItem(GATE_KEY, gate.slice(0, 60));
}

export function readScanCount(eventId: string): number {
  const count = Number(readItem(countKey(eventId)));
  return Number.isSafeInteger(count) && count > 0 ? count : 0;
}

export function saveScanCount(eventId: string, count: number) {
  writeItem(countKey(eventId), String(count));
}
