/**
 * The system Chromium (Debian's `chromium`; nothing is downloaded) and the flags every headless
 * run here starts it with: the browser tests, the deployment test through nginx and the
 * benchmark's Lighthouse runs. No GPU, no sync, no updates, no background fetches.
 */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const chromiumFlags: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
