import { api } from '../api/client';
import { request, toApiError } from '../api/errors';
import type { TCheckInResult, TCheckInStats, TScannerKeys, TSyncResult } from './checkin-types';
import type { TSendScans } from './scan-sync';

/** The check-in endpoints the scanner calls, behind one small interface tests can replace. */
export type TScannerApi = {
  /**
   * Online check-in. Resolves with the server's verdict, or `null` when the server could not be
   * reached in time (or is failing), so the scanner judges the code offline instead. Throws an
   * ApiError for answers a retry will not fix: signed out, not on the team, no such event.
   */
  checkIn: (
    eventId: string,
    body: { code: string; gate?: string; deviceId: string },
  ) => Promise<TCheckInResult | null>;
  fetchKeys: (eventId: string, since: number | undefined) => Promise<TScannerKeys>;
  sendScans: TSendScans;
  fetchStats: (eventId: string) => Promise<TCheckInStats>;
};

/** A door with a weak signal should not keep a queue waiting: past this, judge offline. */
const CHECK_IN_TIMEOUT_MS = 4_000;

const hasResult = (body: unknown): body is TCheckInResult =>
  typeof body === 'object' && body !== null && 'result' in body;

export const scannerApi: TScannerApi = {
  async checkIn(eventId, body) {
    let outcome: { data?: unknown; error?: unknown; response: Response };
    try {
      outcome = await api.POST('/api/v1/events/{id}/check-ins', {
        params: { path: { id: eventId } },
        body,
        signal: AbortSignal.timeout(CHECK_IN_TIMEOUT_MS),
      });
    } catch {
      return null;
    }
    const { response } = outcome;
    const answer = response.ok ? outcome.data : outcome.error;
    if ([200, 409, 422].includes(response.status) && hasResult(answer)) return answer;
    if (response.status >= 500 || response.status === 429) return null;
    throw toApiError(response.status, answer);
  },
  fetchKeys: (eventId, since) =>
    request(
      api.GET('/api/v1/events/{id}/scanner-keys', {
        params: { path: { id: eventId }, query: since === undefined ? {} : { since } },
      }),
    ),
  async sendScans(eventId, scans): Promise<TSyncResult[]> {
    const answer = await request(
      api.POST('/api/v1/events/{id}/check-ins/sync', {
        params: { path: { id: eventId } },
        body: scans,
      }),
    );
    return answer.results;
  },
  fetchStats: (eventId) =>
    request(api.GET('/api/v1/events/{id}/check-ins/stats', { params: { path: { id: eventId } } })),
};
