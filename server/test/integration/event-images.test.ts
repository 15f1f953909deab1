import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createTestContext, type TTestContext } from '../support/test-context.js';
import {
  addMember,
  makeEvent,
  makeOrganizer,
  signIn,
  type TSignedIn,
} from '../support/factories.js';
import { makeImage, makePixelBomb } from '../support/images.js';

let ctx: TTestContext;
let owner: TSignedIn;
let organizerId: string;
beforeAll(async () => {
  ctx = await createTestContext({ env: { IMAGE_MAX_BYTES: String(2 * 1024 * 1024) } });
  owner = await signIn(ctx);
  organizerId = (await makeOrganizer(ctx, owner)).id;
});
afterAll(() => ctx.close());

type TImageBody = { imageUrl: string; variants: Record<'sm' | 'md' | 'lg', string> };

const upload = (
  eventId: string,
  body: Buffer | string,
  contentType: string,
  who: TSignedIn = owner,
) =>
  ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/events/${eventId}/image`,
    headers: { ...who.headers, 'content-type': contentType },
    payload: body,
  });

/** Fetches a signed file URL through the app, as a browser would. */
const fetchFile = (url: string) =>
  ctx.app.inject({ method: 'GET', url: url.replace(ctx.config.publicUrl, '') });

function multipart(field: string, filename: string, contentType: string, content: Buffer) {
  const boundary = '----tickitnow-test-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

describe('event image upload', () => {
  it('re-encodes an upload into 16:9 WebP renditions served through signed URLs', async () => {
    const event = await makeEvent(ctx, owner, organizerId, { publish: true });
    const res = await upload(event.id, await makeImage(1200, 1200, 'jpeg'), 'image/jpeg');
    expect(res.statusCode).toBe(200);
    const body = res.json<TImageBody>();
    expect(body.imageUrl).toBe(body.variants.lg);
    for (const [size, width] of [
      ['sm', 400],
      ['md', 800],
      ['lg', 1600],
    ] as const) {
      const file = await fetchFile(body.variants[size]);
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toBe('image/webp');
      const meta = await sharp(file.rawPayload).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([
        'webp',
        width,
        Math.round((width * 9) / 16),
      ]);
    }
    const shown = await ctx.app.inject({ method: 'GET', url: `/api/v1/events/${event.id}` });
    expect(shown.json()).toMatchObject({ imageUrl: body.imageUrl, imageVariants: body.variants });
  });

  it('accepts multipart uploads and replaces the previous image', async () => {
    const event = await makeEvent(ctx, owner, organizerId);
    const first = (
      await upload(event.id, await makeImage(800, 450), 'image/png')
    ).json<TImageBody>();
    const form = multipart('image', 'photo.webp', 'image/webp', await makeImage(640, 480, 'webp'));
    const second = await upload(event.id, form.body, form.contentType);
    expect(second.statusCode).toBe(200);
    expect(second.json<TImageBody>().imageUrl).not.toBe(first.imageUrl);
    expect((await fetchFile(first.variants.sm)).statusCode).toBe(404);
  });

  it('judges files by content: wrong content, SVG, truncated, bombs and empty files get 422', async () => {
    const event = await makeEvent(ctx, owner, organizerId);
    const png = await makeImage(64, 64);
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    const cases: [Buffer, string][] = [
      [Buffer.from('%PDF-1.7 not an image at all, just pretending'), 'image/png'],
      [svg, 'image/svg+xml'],
      [png.subarray(0, Math.floor(png.length / 2)), 'image/png'],
      [await makePixelBomb(), 'image/png'],
      [Buffer.alloc(0), 'image/png'],
    ];
    for (const [bytes, type] of cases) {
      const res = await upload(event.id, bytes, type);
      expect(res.statusCode, type).toBe(422);
      expect(res.json()).toMatchObject({ error: 'invalid_image' });
    }
    const form = multipart(
      'image',
      'cat.png',
      'image/png',
      Buffer.from('MZ this is an executable'),
    );
    expect((await upload(event.id, form.body, form.contentType)).statusCode).toBe(422);
    const stored = await ctx.db
      .selectFrom('events')
      .select('image_key')
      .where('id', '=', event.id)
      .executeTakeFirstOrThrow();
    expect(stored.image_key).toBeNull();
  });

  it('refuses oversized uploads with 413, raw or multipart', async () => {
    const event = await makeEvent(ctx, owner, organizerId);
    const big = Buffer.concat([await makeImage(32, 32), Buffer.alloc(3 * 1024 * 1024)]);
    const raw = await upload(event.id, big, 'image/png');
    expect(raw.statusCode).toBe(413);
    expect(raw.json()).toMatchObject({ error: 'payload_too_large' });
    const form = multipart('image', 'big.png', 'image/png', big);
    expect((await upload(event.id, form.body, form.contentType)).statusCode).toBe(413);
    expect((await upload(event.id, '{"a":1}', 'application/json')).json()).toMatchObject({
      error: 'unsupported_media_type',
    });
  });

  it('lets only managers and owners of the organizer upload', async () => {
    const event = await makeEvent(ctx, owner, organizerId);
    const staff = await addMember(ctx, owner, organizerId, 'staff');
    const stranger = await signIn(ctx);
    const png = await makeImage(100, 100);
    expect((await upload(event.id, png, 'image/png', staff)).statusCode).toBe(403);
    expect((await upload(event.id, png, 'image/png', stranger)).statusCode).toBe(404);
    const anonymous = await ctx.app.inject({
      method: 'PUT',
      url: `/api/v1/events/${event.id}/image`,
      headers: { 'content-type': 'image/png' },
      payload: png,
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('signed file URLs', () => {
  it('refuse tampering and expire', async () => {
    const event = await makeEvent(ctx, owner, organizerId, { publish: true });
    const { variants } = (
      await upload(event.id, await makeImage(400, 300), 'image/png')
    ).json<TImageBody>();
    const url = new URL(variants.sm);
    const tamperedSig = new URL(url);
    tamperedSig.searchParams.set('sig', `${url.searchParams.get('sig')?.slice(0, -2)}AA`);
    expect((await fetchFile(tamperedSig.toString())).statusCode).toBe(403);
    const extended = new URL(url);
    extended.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 86_400));
    expect((await fetchFile(extended.toString())).statusCode).toBe(403);
    const otherFile = variants.sm.replace('-sm.webp', '-lg.webp');
    expect((await fetchFile(otherFile)).statusCode).toBe(403);
    expect(
      (await fetchFile(`${ctx.config.publicUrl}/files/../../etc/passwd?expires=9999999999&sig=x`))
        .statusCode,
    ).toBeGreaterThanOrEqual(400);
    expect((await fetchFile(variants.sm)).statusCode).toBe(200);
    ctx.clock.advance(3 * 86_400_000);
    const expired = await fetchFile(variants.sm);
    expect(expired.statusCode).toBe(403);
    expect(expired.json()).toMatchObject({ error: 'forbidden' });
  });
});
