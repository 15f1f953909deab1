import jsQRModule from 'jsqr';
import sharp from 'sharp';

// jsQR ships CommonJS with an ES-style default export; depending on the loader the default
// import is the function itself or an object holding it.
type TJsQR = typeof jsQRModule.default;
const jsQR: TJsQR =
  (jsQRModule as unknown as { default?: TJsQR }).default ?? (jsQRModule as unknown as TJsQR);

/** Reads a QR code from any image with jsQR, a decoder independent of the encoder we use. */
export async function decodeQr(image: Buffer): Promise<string | null> {
  const { data, info } = await sharp(image)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const result = jsQR(
    new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
    info.width,
    info.height,
  );
  return result?.data ?? null;
}
