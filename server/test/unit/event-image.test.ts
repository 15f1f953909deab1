import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { AppError } from '../../src/errors.js';
import { processEventImage, sniffImageFormat } from '../../src/modules/events/event-image.js';
import { makeImage, makePixelBomb } from '../support/images.js';

const MB = 1024 * 1024;

describe('sniffImageFormat', () => {
  it('recognises formats by their magic bytes', async () => {
    expect(sniffImageFormat(await makeImage(8, 8, 'png'))).toBe('png');
    expect(sniffImageFormat(await makeImage(8, 8, 'jpeg'))).toBe('jpeg');
    expect(sniffImageFormat(await makeImage(8, 8, 'webp'))).toBe('webp');
    expect(sniffImageFormat(await makeImage(8, 8, 'gif'))).toBe('gif');
  });

  it('rejects SVG, HTML and text whatever they are called', () => {
    expect(sniffImageFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImageFormat(Buffer.from('<!doctype html><script>1</script>'))).toBeNull();
    expect(sniffImageFormat(Buffer.from('GIF8'))).toBeNull();
  });
});

describe('processEventImage', () => {
  it('produces three 16:9 WebP renditions and strips metadata', async () => {
    const input = await sharp({
      create: { width: 3000, height: 1000, channels: 3, background: '#123456' },
    })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'secret camera owner' } })
      .toBuffer();
    const out = await processEventImage(input, 10 * MB);
    for (const [name, width] of [
      ['sm', 400],
      ['md', 800],
      ['lg', 1600],
    ] as const) {
      const meta = await sharp(out.variants[name]).metadata();
      expect(meta).toMatchObject({ format: 'webp', width, height: Math.round((width * 9) / 16) });
      expect(meta.exif).toBeUndefined();
    }
    expect(out.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses decompression bombs, truncation, emptiness and excess size with specific errors', async () => {
    const png = await makeImage(200, 200);
    await expect(processEventImage(await makePixelBomb(), 10 * MB)).rejects.toMatchObject({
      code: 'invalid_image',
      message: expect.stringMatching(/megapixels/) as unknown,
    });
    await expect(processEventImage(png.subarray(0, 60), 10 * MB)).rejects.toMatchObject({
      code: 'invalid_image',
    });
    await expect(processEventImage(Buffer.alloc(0), 10 * MB)).rejects.toBeInstanceOf(AppError);
    await expect(processEventImage(png, 10)).rejects.toMatchObject({ code: 'payload_too_large' });
  });
});
