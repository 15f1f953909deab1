/**
 * Turning API error responses (`{error, message, details?}`) into one typed error, and validation
 * issues (`details.issues: [{path, message}]`) into messages beside the right form fields.
 */

export type TIssue = { path: string[]; message: string };

/** An error answer from the API, or a network failure (`status` 0, `code` "network_error"). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: TIssue[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** A number from `details`, e.g. `attemptsLeft` or `retryAfterSeconds`. */
  detailNumber(key: string): number | undefined {
    const value = this.details[key];
    return typeof value === 'number' ? value : undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function readIssues(details: Record<string, unknown>): TIssue[] {
  const raw = details['issues'];
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((issue): TIssue[] => {
    if (!isRecord(issue) || typeof issue['message'] !== 'string') return [];
    const path = Array.isArray(issue['path']) ? issue['path'].map(String) : [];
    return [{ path, message: issue['message'] }];
  });
}

const fallbackMessages: Record<number, string> = {
  401: 'Sign in to continue.',
  403: 'You are not allowed to do this.',
  404: 'Not found.',
  413: 'The file is too large.',
  415: 'This type of file is not supported.',
  429: 'Too many requests; try again in a moment.',
};

/** Builds an ApiError from a response status and its parsed body, whatever shape it has. */
export function toApiError(status: number, body: unknown): ApiError {
  if (isRecord(body) && typeof body['error'] === 'string') {
    const details = isRecord(body['details']) ? body['details'] : {};
    const message =
      typeof body['message'] === 'string' && body['message']
        ? body['message']
        : (fallbackMessages[status] ?? 'Something went wrong.');
    return new ApiError(status, body['error'], message, readIssues(details), details);
  }
  return new ApiError(
    status,
    status >= 500 ? 'internal_error' : 'http_error',
    fallbackMessages[status] ??
      (status >= 500 ? 'Something went wrong on our side; try again.' : 'The request failed.'),
  );
}

type TFetchResult<TData> = { data?: TData; error?: unknown; response: Response };

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError for an error status
 * or a network failure. Every API call in the app goes through here.
 */
export async function request<TData>(pending: Promise<TFetchResult<TData>>): Promise<TData> {
  let result: TFetchResult<TData>;
  try {
    result = await pending;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'Could not reach TickItNow; check your connection.');
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as TData;
}

/** Any thrown value as an ApiError, so UI code has one shape to show. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'client_error', error instanceof Error ? error.message : String(error));
}

/** Field key for an issue path: `['venue', 'city']` → `venue.city`; `[]` → `''` (the form). */
export const fieldKey = (path: readonly string[]) => path.join('.');

/** Server messages are terse schema messages; say the common ones in plainer words. */
export function humanizeIssue(message: string): string {
  if (/expected string to have >=1 characters/i.test(message)) return 'This field is required.';
  if (/received undefined/i.test(message)) return 'This field is required.';
  const tooLong = /expected string to have <=(\d+) characters/i.exec(message);
  if (tooLong) return `Use at most ${tooLong[1]} characters.`;
  if (/^Invalid option: expected one of/i.test(message)) return 'Choose one of the options.';
  if (/endsAt must be after startsAt/i.test(message)) return 'The end must be after the start.';
  if (/give a venue or an onlineUrl/i.test(message)) return 'Give a venue or an online link.';
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * Maps validation issues to `{fieldKey: message}`, keeping the first message per field. Issues
 * whose path matches no known field are collected under `''`, so the form can still show them.
 */
export function fieldErrors(
  error: unknown,
  knownFields?: readonly string[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!(error instanceof ApiError)) return errors;
  for (const issue of error.issues) {
    let key = fieldKey(issue.path);
    if (knownFields && !knownFields.includes(key)) {
      // A nested issue (`tags.2`) belongs to its closest known parent field (`tags`).
      const parent = knownFields
        .filter((f) => f && key.startsWith(`${f}.`))
        .sort((a, b) => b.length - a.length)[0];
      key = parent ?? '';
    }
    const message = humanizeIssue(issue.message);
    if (key === '' && errors['']) errors[''] = `${errors['']} ${message}`;
    else errors[key] ??= message;
  }
  return errors;
}
