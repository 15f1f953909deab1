import type { TScanResultName } from './checkin-types';

/** The three things door staff must tell apart at a glance (and by ear, and by touch). */
export type TScanTone = 'ok' | 'warn' | 'bad';

export function toneOf(result: TScanResultName): TScanTone {
  switch (result) {
    case 'ok':
      return 'ok';
    case 'already_checked_in':
      return 'warn';
    case 'invalid':
    case 'void':
    case 'wrong_event':
      return 'bad';
  }
}

/** One short high beep for ok, two mid beeps for a duplicate, one long low buzz for refused. */
const beeps: Record<TScanTone, { frequency: number; seconds: number; count: number }> = {
  ok: { frequency: 1320, seconds: 0.12, count: 1 },
  warn: { frequency: 660, seconds: 0.12, count: 2 },
  bad: { frequency: 220, seconds: 0.45, count: 1 },
};
const vibrations: Record<TScanTone, number[]> = {
  ok: [80],
  warn: [120, 80, 120],
  bad: [400],
};

let audio: AudioContext | null = null;

/**
 * Beeps and vibrates for a result, where the device can. Browsers only allow sound after a user
 * gesture, so the first tap on the page (starting the camera, say) unlocks it.
 */
export function signalResult(tone: TScanTone) {
  try {
    navigator.vibrate?.(vibrations[tone]);
  } catch {
    // Vibration is a bonus.
  }
  try {
    const AudioContextClass = globalThis.AudioContext as typeof AudioContext | undefined;
    if (!AudioContextClass) return;
    audio ??= new AudioContextClass();
    if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
    const { frequency, seconds, count } = beeps[tone];
    for (let i = 0; i < count; i++) {
      const start = audio.currentTime + i * (seconds + 0.08);
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = tone === 'bad' ? 'square' : 'sine';
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.25, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + seconds);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + seconds);
    }
  } catch {
    // Sound is a bonus too.
  }
}

/**
 * True for a code worth handling; false for the same code read again within `windowMs` — a
 * camera sees the same QR code many times a second while it is held up.
 */
export function createRepeatGuard(windowMs: number, now: () => number = Date.now) {
  let last: { code: string; at: number } | null = null;
  return (code: string): boolean => {
    const at = now();
    const isRepeat = last !== null && last.code === code && at - last.at < windowMs;
    // The window slides: a code held in front of the camera stays ignored until it goes away.
    last = { code, at };
    return !isRepeat;
  };
}
