import { describe, expect, test } from 'vitest';
import { parseInline, parseMarkdown } from './markdown-preview';

describe('parseMarkdown', () => {
  test('reads headings, paragraphs, lists, quotes, code and rules', () => {
    const blocks = parseMarkdown(
      [
        '# Welcome',
        '',
        'First line',
        'same paragraph.',
        '',
        '- one',
        '- **two**',
        '',
        '1. first',
        '2. second',
        '',
        '> quoted',
        '',
        '```',
        '<b>code</b>',
        '```',
        '',
        '---',
      ].join('\n'),
    );
    expect(blocks.map((b) => b.kind)).toEqual([
      'heading',
      'paragraph',
      'list',
      'list',
      'quote',
      'code',
      'rule',
    ]);
    expect(blocks[1]).toEqual({
      kind: 'paragraph',
      children: [{ kind: 'text', text: 'First line same paragraph.' }],
    });
    expect(blocks[2]).toMatchObject({ kind: 'list', ordered: false });
    expect(blocks[3]).toMatchObject({ kind: 'list', ordered: true });
    expect(blocks[5]).toEqual({ kind: 'code', text: '<b>code</b>' });
  });

  test('HTML stays text', () => {
    expect(parseMarkdown('<script>alert(1)</script>')).toEqual([
      { kind: 'paragraph', children: [{ kind: 'text', text: '<script>alert(1)</script>' }] },
    ]);
  });
});

describe('parseInline', () => {
  test('emphasis, strong and code', () => {
    expect(parseInline('a **b** *c* `d`')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'strong', children: [{ kind: 'text', text: 'b' }] },
      { kind: 'text', text: ' ' },
      { kind: 'em', children: [{ kind: 'text', text: 'c' }] },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'd' },
    ]);
  });

  test('links only to web and mail addresses', () => {
    expect(parseInline('[site](https://example.org/x)')).toEqual([
      { kind: 'link', href: 'https://example.org/x', children: [{ kind: 'text', text: 'site' }] },
    ]);
    expect(parseInline('[x](javascript:alert(1))')).toEqual([
      { kind: 'text', text: '[x](javascript:alert(1))' },
    ]);
  });

  test('bare URLs become links without trailing punctuation', () => {
    expect(parseInline('see https://example.org/a.')).toEqual([
      { kind: 'text', text: 'see ' },
      {
        kind: 'link',
        href: 'https://example.org/a',
        children: [{ kind: 'text', text: 'https://example.org/a' }],
      },
      { kind: 'text', text: '.' },
    ]);
  });
});
