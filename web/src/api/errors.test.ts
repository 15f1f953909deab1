import { describe, expect, test } from 'vitest';
import { ApiError, fieldErrors, humanizeIssue, request, toApiError } from './errors';

const validation = (issues: { path: string[]; message: string }[]) =>
  toApiError(400, {
    error: 'validation_failed',
    message: 'The request body is not valid.',
    details: { issues },
  });

describe('toApiError', () => {
  test('reads code, message, issues and details from the error body', () => {
    const error = toApiError(400, {
      error: 'code_invalid',
      message: 'The code is not correct.',
      details: { attemptsLeft: 3 },
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('code_invalid');
    expect(error.message).toBe('The code is not correct.');
    expect(error.detailNumber('attemptsLeft')).toBe(3);
    expect(error.detailNumber('missing')).toBeUndefined();
    expect(error.issues).toEqual([]);
  });

  test('keeps only well-formed issues', () => {
    const error = validation([
      { path: ['title'], message: 'Too small' },
      { nope: true } as unknown as { path: string[]; message: string },
    ]);
    expect(error.issues).toEqual([{ path: ['title'], message: 'Too small' }]);
  });

  test('a body that is not the API error shape still gives a useful error', () => {
    expect(toApiError(502, '<html>Bad gateway</html>')).toMatchObject({
      status: 502,
      code: 'internal_error',
    });
    expect(toApiError(413, undefined)).toMatchObject({
      code: 'http_error',
      message: 'The file is too large.',
    });
  });
});

describe('fieldErrors', () => {
  test('maps issue paths to field keys, first message per field', () => {
    const error = validation([
      { path: ['title'], message: 'Too small: expected string to have >=1 characters' },
      { path: ['title'], message: 'second message' },
      { path: ['venue', 'city'], message: 'Too small: expected string to have >=1 characters' },
      { path: ['venue', 'country'], message: 'must be an ISO 3166-1 alpha-2 country code' },
    ]);
    expect(fieldErrors(error)).toEqual({
      title: 'This field is required.',
      'venue.city': 'This field is required.',
      'venue.country': 'Must be an ISO 3166-1 alpha-2 country code',
    });
  });

  test('nested issues go to their closest known field; unknown ones to the form', () => {
    const error = validation([
      { path: ['tags', '3'], message: 'Too big: expected string to have <=30 characters' },
      { path: ['venue', 'name'], message: 'bad name' },
      { path: ['secret'], message: 'Unrecognized key' },
      { path: [], message: 'give a venue or an onlineUrl' },
    ]);
    expect(fieldErrors(error, ['tags', 'venue', 'venue.name'])).toEqual({
      tags: 'Use at most 30 characters.',
      'venue.name': 'Bad name',
      '': 'Unrecognized key Give a venue or an online link.',
    });
  });

  test('anything that is not an ApiError gives no field errors', () => {
    expect(fieldErrors(new Error('boom'))).toEqual({});
    expect(fieldErrors(null)).toEqual({});
  });

  test('humanizes the common schema messages', () => {
    expect(humanizeIssue('Invalid input: expected string, received undefined')).toBe(
      'This field is required.',
    );
    expect(humanizeIssue('Invalid option: expected one of "music"|"film"')).toBe(
      'Choose one of the options.',
    );
    expect(humanizeIssue('endsAt must be after startsAt')).toBe('The end must be after the start.');
    expect(humanizeIssue('must be an http(s) URL')).toBe('Must be an http(s) URL');
  });
});

describe('request', () => {
  const response = (status: number) => new Response(null, { status });

  test('returns the data of a successful call', async () => {
    await expect(
      request(Promise.resolve({ data: { ok: 1 }, response: response(200) })),
    ).resolves.toEqual({ ok: 1 });
  });

  test('throws an ApiError for an error status', async () => {
    const pending = Promise.resolve({
      error: { error: 'last_owner', message: 'An organizer must keep at least one owner.' },
      response: response(409),
    });
    await expect(request(pending)).rejects.toMatchObject({ status: 409, code: 'last_owner' });
  });

  test('turns a network failure into a network_error', async () => {
    await expect(request(Promise.reject(new TypeError('Failed to fetch')))).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
    });
  });
});
