import { describe, expect, test } from 'vitest';
import {
  currencyDigits,
  formatMoney,
  formatPrice,
  minorToMajorString,
  parseMoneyToMinor,
} from './money';

describe('formatMoney', () => {
  test('formats integer minor units in the currency, without float drift', () => {
    expect(formatMoney(1999, 'EUR', 'en-US')).toBe('€19.99');
    expect(formatMoney(1999, 'EUR', 'de-DE')).toBe('19,99\u00a0€');
    expect(formatMoney(500, 'JPY', 'en-US')).toBe('¥500');
    expect(formatMoney(1234, 'KWD', 'en-US')).toMatch(/1\.234/);
    expect(formatMoney(123456789, 'USD', 'en-US')).toBe('$1,234,567.89');
    expect(formatMoney(0, 'GBP', 'en-GB')).toBe('£0.00');
  });

  test('a free ticket says so', () => {
    expect(formatPrice(0, 'EUR', 'en-US')).toBe('Free');
    expect(formatPrice(5, 'EUR', 'en-US')).toBe('€0.05');
  });

  test('knows how many decimals a currency has', () => {
    expect(currencyDigits('EUR')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('BHD')).toBe(3);
  });

  test('minor units become an exact major-unit string', () => {
    expect(minorToMajorString(1999, 'EUR')).toBe('19.99');
    expect(minorToMajorString(5, 'EUR')).toBe('0.05');
    expect(minorToMajorString(0, 'EUR')).toBe('0.00');
    expect(minorToMajorString(500, 'JPY')).toBe('500');
    expect(minorToMajorString(1005, 'BHD')).toBe('1.005');
  });
});

describe('parseMoneyToMinor', () => {
  test.each([
    ['19.99', 'EUR', 1999],
    ['0.29', 'EUR', 29],
    ['1.10', 'EUR', 110],
    ['4.35', 'USD', 435],
    ['19,99', 'EUR', 1999],
    ['25', 'EUR', 2500],
    ['25.5', 'EUR', 2550],
    ['1,250.00', 'USD', 125000],
    ['1.250,00', 'EUR', 125000],
    ['1,250,000', 'JPY', 1250000],
    ['12,500.50', 'USD', 1250050],
    ['1.250,50', 'EUR', 125050],
    ['€ 20', 'EUR', 2000],
    ['20 €', 'EUR', 2000],
    ['0', 'EUR', 0],
    ['500', 'JPY', 500],
    ['1,500', 'JPY', 1500],
    ['1.005', 'BHD', 1005],
    ['1000000', 'EUR', 100000000],
  ])('%j %s → %d', (input, currency, minor) => {
    expect(parseMoneyToMinor(input, currency)).toEqual({ ok: true, minor });
  });

  test('every cent from 0.00 to 99.99 comes out exact (floats would not)', () => {
    for (let cents = 0; cents < 10_000; cents += 1) {
      const text = minorToMajorString(cents, 'EUR');
      expect(parseMoneyToMinor(text, 'EUR')).toEqual({ ok: true, minor: cents });
    }
  });

  test.each([
    ['', /Enter a price/],
    ['-5', /negative/],
    ['abc', /number/],
    ['1.9999', /at most 2 decimal places/],
    ['1.999', /without a thousands separator, e\.g\. 1999 or 1\.99/],
    ['1,250', /without a thousands separator/],
    ['1,25,0', /number/],
    ['1.2.3', /number/],
    ['1000000.01', /at most/],
    ['99999999999999', /too high/],
  ])('refuses %j', (input, message) => {
    const result = parseMoneyToMinor(input, 'EUR');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  test('a currency without decimals refuses them', () => {
    expect(parseMoneyToMinor('5.5', 'JPY')).toEqual({
      ok: false,
      message: 'JPY has no decimal places.',
    });
  });
});
