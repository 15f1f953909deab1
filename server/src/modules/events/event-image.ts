import { createHash } from 'node:crypto';
import { AppError } from '../../errors.js';

/** Widths of the stored renditions; all are cropped to 16:9 so cards and headers line up. */
export const imageVariantWidths = { sm: 400, md: 800, lg: 1600 } as const;
export type TImageVariant = keyof typeof imageVariantWidths;

/** Decoded size limit: refuses decompression bombs (tiny files declaring huge canvases). */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Recognises the image formats we accept by their first bytes, not by name or declared type.
 * SVG is deliberately absent: it is a document that can carry scripts.
 */
export function sniffImageFormat(bytes: Buffer): 'jpeg' | 'png' | 'gif' | 'webp' | 'avif' | null {
  if (bytes.length < 12) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png';
  const ascii = bytes.subarray(0, 12).toString('latin1');
  if (ascii.startsWith('GIF87a') || ascii.startsWith('GIF89a')) return 'gif';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'webp';
  if (ascii.slice(4, 8) === 'ftyp' && /^(avif|avis)$/.test(ascii.slice(8, 12))) return 'avif';
  return null;
}

export type TProcessedImage = {
  /** Content hash of the upload; names the stored files so a new upload never overwrites a cached URL. */
  hash: string;
  variants: Record<TImageVariant, Buffer>;
};

/** Checks, re-encodes and resizes an upload. Re-encoding drops metadata (GPS, camera) and any payload. */
export async function processEventImage(bytes: Buffer, maxBytes: number): Promise<TProcessedImage> {
  if (bytes.length === 0) throw new AppError('invalid_image', undefined, 'The upload is empty.');
  if (bytes.length > maxBytes) throw new AppError('payload_too_large', { maxBytes });
  const format = sniffImageFormat(bytes);
  if (!format) {
    throw new AppError(
      'invalid_image',
      undefined,
      'The file is not a JPEG, PNG, GIF, WebP or AVIF image.',
    );
  }
  // Loaded on the first upload: libvips adds ≈ 30 MB to a process that may never see an image.
  const { default: sharp } = await import('sharp');
  try {
    const input = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
    const metadata = await input.metadata();
    if (!metadata.width || !metadata.height) throw new Error('no dimensions');
    const entries = await Promise.all(
      Object.entries(imageVariantWidths).map(async ([name, width]) => {
        const buffer = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
          .rotate()
          .resize(width, Math.round((width * 9) / 16), {
            fit: 'cover',
            position: 'attention',
            withoutEnlargement: false,
          })
          .webp({ quality: 80 })
          .toBuffer();
        return [name, buffer] as const;
      }),
    );
    return {
      hash: createHash('sha256').update(bytes).digest('hex').slice(0, 16),
      variants: Object.fromEntries(entries) as Record<TImageVariant, Buffer>,
    };
  } catch (error) {
    const reason =
      error instanceof Error && /pixel limit/i.test(error.message)
        ? `The image is too large (more than ${MAX_INPUT_PIXELS / 1_000_000} megapixels).`
        : 'The image could not be decoded; it may be truncated or corrupt.';
    throw new AppError('invalid_image', { format }, reason);
  }
}
