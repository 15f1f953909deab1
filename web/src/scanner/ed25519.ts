import type { TSignatureVerifier } from './ticket-code';

/**
 * Ed25519 verification with the browser's own WebCrypto (current Chromium, Safari and Firefox
 * have it). Older browsers lack the algorithm; for them a small audited JavaScript
 * implementation is loaded on demand, so phones a few versions behind still scan offline.
 */
export function createEd25519Verifier(
  options: { subtle?: SubtleCrypto | undefined } = {},
): TSignatureVerifier {
  const subtle = 'subtle' in options ? options.subtle : globalThis.crypto?.subtle;
  // Importing a key costs more than verifying with it; a scanner uses one key all night.
  const imported = new Map<string, Promise<CryptoKey>>();
  let isWebCryptoMissing = !subtle;

  async function verifyWithWebCrypto(
    webCrypto: SubtleCrypto,
    publicKey: Uint8Array<ArrayBuffer>,
    message: Uint8Array<ArrayBuffer>,
    signature: Uint8Array<ArrayBuffer>,
  ): Promise<boolean> {
    const cacheKey = Array.from(publicKey).join(',');
    let key = imported.get(cacheKey);
    if (!key) {
      key = webCrypto.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
      imported.set(cacheKey, key);
      key.catch(() => imported.delete(cacheKey));
    }
    return webCrypto.verify({ name: 'Ed25519' }, await key, signature, message);
  }

  return async (publicKey, message, signature) => {
    if (subtle && !isWebCryptoMissing) {
      try {
        return await verifyWithWebCrypto(subtle, publicKey, message, signature);
      } catch (error) {
        // NotSupportedError: the browser has WebCrypto but not Ed25519. Anything else (a key
        // of the wrong length) means the key is unusable, and so the code is not verified.
        if (!(error instanceof DOMException && error.name === 'NotSupportedError')) return false;
        isWebCryptoMissing = true;
      }
    }
    const noble = await import('@noble/ed25519');
    try {
      return await noble.verifyAsync(signature, message, publicKey);
    } catch {
      return false;
    }
  };
}
