import { crc32, deflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import { rememberRecent } from '../../lib/remember-recent.js';

/** Error correction M and a wide quiet zone (in modules). */
const MARGIN = 4;
/** Pixels per module in the PNG: large enough to scan from a phone screen or from paper. */
const SCALE = 8;

/**
 * The symbol's modules. A ticket code is one byte-mode segment: qrcode's default search for the
 * cheapest mix of modes costs milliseconds per code and finds the same symbol. Choosing the
 * mask is most of the remaining cost, and a paid order's codes are drawn twice in a row (the
 * stored PNG and the PDF of its confirmation, claimed together by the worker), so the last
 * few hundred symbols are kept (≈ 5 KB each).
 */
const symbol = rememberRecent(
  500,
  (code: string) =>
    QRCode.create([{ data: Buffer.from(code, 'utf8'), mode: 'byte' }], {
      errorCorrectionLevel: 'M',
    }).modules,
);

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/**
 * The QR PNG for a ticket code, written directly as a 1-bit greyscale PNG (a few hundred
 * microseconds). qrcode's own PNG renderer filled a full-size RGBA image and let pngjs try every
 * row filter: over 15 ms of CPU per ticket, twice per ticket (stored image and PDF), which the
 * worker spent during a sale on the cores the API needs.
 */
export function renderTicketQr(code: string): Promise<Buffer> {
  const modules = symbol(code);
  const side = (modules.size + 2 * MARGIN) * SCALE;
  const rowBytes = Math.ceil(side / 8);
  // Each row: filter type 0, then the pixels, 1 bit each, most significant first; 1 is white.
  // The rows of one row of modules are alike: drawn once, copied SCALE - 1 times.
  const stride = rowBytes + 1;
  const raw = Buffer.alloc(stride * side, 0xff);
  for (let y = 0; y < side; y++) raw[y * stride] = 0;
  for (let row = 0; row < modules.size; row++) {
    const first = (row + MARGIN) * SCALE * stride;
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col) !== 1) continue;
      for (let x = (col + MARGIN) * SCALE, end = x + SCALE; x < end; x++) {
        const at = first + 1 + (x >> 3);
        raw[at] = (raw[at] ?? 0) & ~(0x80 >> (x & 7));
      }
    }
    for (let copy = 1; copy < SCALE; copy++)
      raw.copy(raw, first + copy * stride, first, first + stride);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter method, no interlace
  return Promise.resolve(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/**
 * The same symbol as dark rectangles, for vector output (the PDF ticket): one rectangle per run
 * of dark modules in a row, in module units, the quiet zone included in `size`.
 */
export function ticketQrRuns(code: string): {
  size: number;
  runs: { x: number; y: number; width: number }[];
} {
  const modules = symbol(code);
  const runs: { x: number; y: number; width: number }[] = [];
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let col = 0; col <= modules.size; col++) {
      const isDark = col < modules.size && modules.get(row, col) === 1;
      if (isDark && start < 0) start = col;
      if (!isDark && start >= 0) {
        runs.push({ x: start + MARGIN, y: row + MARGIN, width: col - start });
        start = -1;
      }
    }
  }
  return { size: modules.size + 2 * MARGIN, runs };
}
