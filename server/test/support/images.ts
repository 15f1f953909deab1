import sharp from 'sharp';

/** A real image of the given size and format, made on the fly. */
export function makeImage(
  width: number,
  height: number,
  format: 'png' | 'jpeg' | 'webp' | 'gif' = 'png',
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 60, b: 90 } } })
    .toFormat(format)
    .toBuffer();
}

/**
 * A tiny PNG whose header claims a huge canvas: decoding it would take gigabytes (a
 * "decompression bomb"). Built by hand so the test does not have to allocate that memory.
 */
export async function makePixelBomb(): Promise<Buffer> {
  const small = await makeImage(16, 16, 'png');
  const bomb = Buffer.from(small);
  // IHDR width/height live at bytes 16-23; claim 50000×50000 (2.5 gigapixels).
  bomb.writeUInt32BE(50_000, 16);
  bomb.writeUInt32BE(50_000, 20);
  return bomb;
}
