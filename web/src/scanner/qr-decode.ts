/**
 * Finding a QR code in pixels, with jsQR (loaded on first use, so the page appears sooner).
 * Camera frames are small and come many times a second; photos are big and come once, so they
 * are scaled down and also tried inverted.
 */
import type jsQR from 'jsqr';

type TJsQr = typeof jsQR;
let decoder: Promise<TJsQr> | null = null;

function loadDecoder(): Promise<TJsQr> {
  decoder ??= import('jsqr').then((m) => m.default);
  return decoder;
}

/** Starts loading the decoder early, e.g. when the scanner page opens. */
export function preloadQrDecoder() {
  void loadDecoder().catch(() => {
    decoder = null;
  });
}

/** The text of the QR code in a frame, or null. */
export async function decodeQrFromImageData(
  image: ImageData,
  options: { isThorough?: boolean } = {},
): Promise<string | null> {
  const decode = await loadDecoder();
  const found = decode(image.data, image.width, image.height, {
    inversionAttempts: options.isThorough ? 'attemptBoth' : 'dontInvert',
  });
  return found?.data || null;
}

/** Photos are scaled to at most this many pixels on their long side before decoding. */
const MAX_PHOTO_SIDE = 1600;

/** The text of the QR code in an image file (a photo of a ticket, a screenshot), or null. */
export async function decodeQrFromFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    const scale = Math.min(1, MAX_PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) return null;
    // A white background, so transparent PNGs read as dark-on-light.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, width, height);
    context.drawImage(bitmap, 0, 0, width, height);
    return await decodeQrFromImageData(context.getImageData(0, 0, width, height), {
      isThorough: true,
    });
  } finally {
    bitmap.close();
  }
}
