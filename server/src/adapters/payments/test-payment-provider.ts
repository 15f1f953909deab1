import type { TChargeResult, TPaymentProvider } from './payment-provider.js';

/**
 * Deterministic test payments, for development, demos and tests:
 * `test_ok` succeeds, `test_declined` is declined, `test_slow` succeeds after ~2 s, and
 * `test_timeout` fails after ~2 s as if the provider did not answer.
 */
export function createTestPaymentProvider(options: { delayMs?: number } = {}): TPaymentProvider {
  const delayMs = options.delayMs ?? 2_000;
  const wait = () => new Promise((resolve) => setTimeout(resolve, delayMs));
  return {
    name: 'test',
    async charge({ orderId, token }): Promise<TChargeResult> {
      switch (token) {
        case 'test_ok':
          return { status: 'succeeded', reference: `test_ch_${orderId}` };
        case 'test_slow':
          await wait();
          return { status: 'succeeded', reference: `test_ch_${orderId}` };
        case 'test_timeout':
          await wait();
          throw new Error('test provider timed out');
        case 'test_declined':
        default:
          return {
            status: 'declined',
            reason: token === 'test_declined' ? 'card_declined' : 'unknown_test_token',
          };
      }
    },
    refund: () => Promise.resolve(),
  };
}
