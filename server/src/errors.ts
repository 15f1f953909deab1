/**
 * The error catalogue: every error a client can see, its HTTP status and default message.
 * Services throw `new AppError('code', details)`; `toHttpError` is the one place that maps
 * errors to responses. Anything not in the catalogue is a logged 500 with no details.
 */
export const errorCatalogue = {
  invalid_json: [400, 'The request body is not valid JSON.'],
  validation_failed: [400, 'The request is not valid.'],
  code_invalid: [400, 'The code is not correct.'],
  code_expired: [400, 'The code has expired; ask for a new one.'],
  code_used: [400, 'The code has already been used; ask for a new one.'],
  code_locked: [400, 'Too many wrong attempts; ask for a new code.'],
  unauthenticated: [401, 'Sign in to continue.'],
  forbidden: [403, 'You are not allowed to do this.'],
  csrf_rejected: [403, 'Cross-site request refused.'],
  not_found: [404, 'Not found.'],
  route_not_found: [404, 'No such endpoint.'],
  method_not_allowed: [405, 'Method not allowed.'],
  already_member: [409, 'This person is already a member.'],
  last_owner: [409, 'An organizer must keep at least one owner.'],
  event_not_editable: [409, 'The event can no longer be changed in this way.'],
  invalid_state: [409, 'The resource is not in a state that allows this.'],
  quantity_not_allowed: [400, 'The quantity is not allowed for this ticket type.'],
  invalid_ticket_type: [400, 'A ticket type does not belong to this event.'],
  mixed_currencies: [400, 'All tickets of one order must have the same currency.'],
  invalid_idempotency_key: [
    400,
    'The Idempotency-Key header must be 1–200 visible ASCII characters.',
  ],
  payment_declined: [402, 'The payment was declined.'],
  sold_out: [409, 'Not enough tickets are left.'],
  sales_closed: [409, 'Tickets are not on sale right now.'],
  event_not_on_sale: [409, 'This event is not open for orders.'],
  idempotency_key_reused: [409, 'This Idempotency-Key was used for a different request.'],
  order_already_paid: [409, 'The order is already paid.'],
  order_expired: [409, 'The hold on these tickets has expired.'],
  order_not_payable: [409, 'The order cannot be paid in its current state.'],
  payment_in_progress: [409, 'A payment for this order is already in progress.'],
  order_not_cancellable: [409, 'The order cannot be cancelled in its current state.'],
  refund_not_allowed: [409, 'The organizer does not allow refunds for this order.'],
  capacity_below_sold: [409, 'The capacity cannot be lower than the tickets sold and held.'],
  ticket_type_has_sales: [409, 'A ticket type with orders cannot be deleted.'],
  currency_locked: [409, 'The currency cannot change once tickets have been ordered.'],
  tickets_available: [
    409,
    'Tickets are still available; buy one instead of joining the waiting list.',
  ],
  offer_not_available: [409, 'This waiting-list offer has expired or was already used.'],
  token_invalid: [400, 'This link is not valid.'],
  token_used: [409, 'This link has already been used.'],
  token_expired: [410, 'This link has expired; ask for a new one.'],
  payload_too_large: [413, 'The request body is too large.'],
  unsupported_media_type: [415, 'This content type is not supported.'],
  invalid_image: [422, 'The file is not a supported image.'],
  rate_limited: [429, 'Too many requests; try again later.'],
  payment_failed: [502, 'The payment provider did not answer; nothing was charged. Try again.'],
  service_unavailable: [503, 'A service the app depends on is unavailable; try again shortly.'],
  internal_error: [500, 'Something went wrong on our side.'],
} as const satisfies Record<string, readonly [number, string]>;

export type TErrorCode = keyof typeof errorCatalogue;

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: TErrorCode,
    readonly details?: Record<string, unknown>,
    message?: string,
  ) {
    // An answer to the client, never logged with a stack (toHttpError marks it expected), and
    // thrown on the hottest refusals (sold_out): capturing a stack trace would be wasted work.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message ?? errorCatalogue[code][1]);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'AppError';
    this.status = errorCatalogue[code][0];
  }
}

export type THttpError = {
  status: number;
  body: { error: string; message: string; details?: unknown };
  headers?: Record<string, string>;
};

/** Maps any thrown value to the JSON error shape; `isExpected` is false for errors worth logging. */
export function toHttpError(error: unknown): THttpError & { isExpected: boolean } {
  if (error instanceof AppError) {
    const headers =
      error.code === 'rate_limited' && typeof error.details?.['retryAfterSeconds'] === 'number'
        ? { 'retry-after': String(error.details['retryAfterSeconds']) }
        : undefined;
    return {
      status: error.status,
      body: {
        error: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      },
      ...(headers ? { headers } : {}),
      isExpected: true,
    };
  }
  const fastifyCode = (error as { code?: unknown } | null)?.code;
  const fastifyStatus = (error as { statusCode?: unknown } | null)?.statusCode;
  switch (fastifyCode) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return fromCode('invalid_json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return fromCode('payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return fromCode('unsupported_media_type');
    default:
      break;
  }
  // Other client errors raised by Fastify or its plugins (e.g. a malformed header): keep the
  // status but not the internals.
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    return {
      status: fastifyStatus,
      body: { error: 'bad_request', message: 'The request could not be processed.' },
      isExpected: true,
    };
  }
  if (isDependencyUnavailable(error)) {
    // Overload or an outage of the database or cache: the client may retry; logged, not a bug.
    return {
      ...fromCode('service_unavailable'),
      headers: { 'retry-after': '1' },
      isExpected: false,
    };
  }
  return { ...fromCode('internal_error'), isExpected: false };
}

/**
 * A dependency that cannot be reached in time: pg's pool queue timing out under load, opening a
 * connection timing out (pg's "timeout expired"), a refused or dropped connection, PostgreSQL
 * shutting down or refusing connections, an AWS service failing.
 */
function isDependencyUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  // AWS SDK v3: the service itself failing (S3 SlowDown, DynamoDB 500s) or timing out.
  const awsStatus = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
    ?.httpStatusCode;
  if ((awsStatus !== undefined && awsStatus >= 500) || error.name === 'TimeoutError') return true;
  // ioredis gives up on a command while Redis is unreachable.
  if (error.name === 'MaxRetriesPerRequestError') return true;
  return (
    /timeout exceeded when trying to connect|^timeout expired$|Connection terminated|connect ECONNREFUSED|Connection is closed|Command timed out/i.test(
      error.message,
    ) ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    // The disk under local storage full, read-only or not writable.
    code === 'ENOSPC' ||
    code === 'EROFS' ||
    code === 'EDQUOT' ||
    code === 'EPERM' ||
    code === 'EACCES' ||
    code === '57P01' || // admin_shutdown
    code === '57P03' || // cannot_connect_now
    code === '53300' // too_many_connections
  );
}

function fromCode(code: TErrorCode): THttpError & { isExpected: boolean } {
  const [status, message] = errorCatalogue[code];
  return { status, body: { error: code, message }, isExpected: true };
}
