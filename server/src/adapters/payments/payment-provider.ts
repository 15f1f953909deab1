/**
 * The payments port. Providers are called outside any database transaction: a slow or failing
 * provider never holds an inventory lock.
 */
export type TChargeResult =
  { status: 'succeeded'; reference: string } | { status: 'declined'; reason: string };

export type TPaymentProvider = {
  readonly name: 'test';
  /** Charges the amount; throws when the provider cannot be reached (nothing was charged). */
  charge(input: {
    orderId: string;
    amountCents: number;
    currency: string;
    token: string;
  }): Promise<TChargeResult>;
  /** Returns a charge; idempotent per reference. */
  refund(input: { reference: string; amountCents: number; currency: string }): Promise<void>;
};

/** Provider names clients may send in `POST /orders/:id/pay`. */
export const paymentProviderNames = ['free', 'test', 'offline'] as const;
export type TPaymentProviderName = (typeof paymentProviderNames)[number];
