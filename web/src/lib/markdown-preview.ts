/**
 * A deliberately small Markdown reader for the editor's live preview. It builds a tree that
 * React renders as elements, so nothing typed can become HTML: `<script>` stays text. The server's
 * `descriptionHtml` is what visitors see; this only has to be close enough to write with.
 */

export type TInline =
  | { kind: 'text'; text: string }
  | { kind: 'strong'; children: TInline[] }
  | { kind: 'em'; children: TInline[] }
  | { kind: 'code'; text: string }
  | { kind: 'link'; href: string; children: TInline[] }
  | { kind: 'break' };

export type TBlock =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: TInline[] }
  | { kind: 'paragraph'; children: TInline[] }
  | { kind: 'list'; ordered: boolean; items: TInline[][] }
  | { kind: 'quote'; children: TInline[] }
  | { kind: 'code'; text: string }
  | { kind: 'rule' };

const headingPattern = /^(#{1,6})\s+(.*)$/;
const bulletPattern = /^\s*[-*+]\s+(.*)$/;
const orderedPattern = /^\s*\d{1,9}[.)]\s+(.*)$/;
const quotePattern = /^\s*>\s?(.*)$/;
const fencePattern = /^\s*(```|~~~)/;
const rulePattern = /^\s*([-*_])(\s*\1){2,}\s*$/;
/** Only web and mail links become links; `javascript:` and friends stay text. */
const safeHrefPattern = /^(https?:\/\/|mailto:)[^\s]+$/i;

/** Parses Markdown into blocks of inline nodes. */
export function parseMarkdown(source: string): TBlock[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: TBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    const fence = fencePattern.exec(line);
    if (fence) {
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !(lines[i] ?? '').trim().startsWith(fence[1] ?? '```')) {
        body.push(lines[i] ?? '');
        i += 1;
      }
      i += 1; // the closing fence (or the end)
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const heading = headingPattern.exec(line);
    if (heading) {
      const level = (heading[1] ?? '#').length as 1 | 2 | 3 | 4 | 5 | 6;
      blocks.push({ kind: 'heading', level, children: parseInline(heading[2] ?? '') });
      i += 1;
      continue;
    }
    if (rulePattern.test(line)) {
      blocks.push({ kind: 'rule' });
      i += 1;
      continue;
    }
    const listPattern = bulletPattern.test(line)
      ? bulletPattern
      : orderedPattern.test(line)
        ? orderedPattern
        : null;
    if (listPattern) {
      const items: TInline[][] = [];
      while (i < lines.length) {
        const item = listPattern.exec(lines[i] ?? '');
        if (!item) break;
        items.push(parseInline(item[1] ?? ''));
        i += 1;
      }
      blocks.push({ kind: 'list', ordered: listPattern === orderedPattern, items });
      continue;
    }
    if (quotePattern.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length) {
        const q = quotePattern.exec(lines[i] ?? '');
        if (!q) break;
        quoted.push(q[1] ?? '');
        i += 1;
      }
      blocks.push({ kind: 'quote', children: parseInline(quoted.join(' ')) });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length) {
      const next = lines[i] ?? '';
      if (
        next.trim() === '' ||
        headingPattern.test(next) ||
        fencePattern.test(next) ||
        bulletPattern.test(next) ||
        orderedPattern.test(next) ||
        quotePattern.test(next)
      )
        break;
      paragraph.push(next);
      i += 1;
    }
    blocks.push({ kind: 'paragraph', children: parseParagraph(paragraph) });
  }
  return blocks;
}

/** Joins a paragraph's lines; two trailing spaces make a hard line break, as in Markdown. */
function parseParagraph(lines: string[]): TInline[] {
  const nodes: TInline[] = [];
  lines.forEach((line, index) => {
    const isHardBreak = / {2,}$/.test(line) && index < lines.length - 1;
    nodes.push(
      ...parseInline(index < lines.length - 1 && !isHardBreak ? `${line} ` : line.trimEnd()),
    );
    if (isHardBreak) nodes.push({ kind: 'break' });
  });
  return mergeText(nodes);
}

/** Parses emphasis, strong, code spans and links within one block. */
export function parseInline(text: string): TInline[] {
  const nodes: TInline[] = [];
  let rest = text;
  let plain = '';
  const flush = () => {
    if (plain) nodes.push({ kind: 'text', text: plain });
    plain = '';
  };
  while (rest.length > 0) {
    const code = /^`([^`]+)`/.exec(rest);
    if (code) {
      flush();
      nodes.push({ kind: 'code', text: code[1] ?? '' });
      rest = rest.slice(code[0].length);
      continue;
    }
    const strong = /^(\*\*|__)(?=\S)([\s\S]*?\S)\1/.exec(rest);
    if (strong) {
      flush();
      nodes.push({ kind: 'strong', children: parseInline(strong[2] ?? '') });
      rest = rest.slice(strong[0].length);
      continue;
    }
    const em = /^(\*|_)(?=\S)([\s\S]*?\S)\1/.exec(rest);
    if (em) {
      flush();
      nodes.push({ kind: 'em', children: parseInline(em[2] ?? '') });
      rest = rest.slice(em[0].length);
      continue;
    }
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(rest);
    if (link) {
      const href = link[2] ?? '';
      if (safeHrefPattern.test(href)) {
        flush();
        nodes.push({ kind: 'link', href, children: parseInline(link[1] ?? '') });
        rest = rest.slice(link[0].length);
        continue;
      }
    }
    const autolink = /^https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]/.exec(rest);
    if (autolink && (plain === '' || /\s$/.test(plain))) {
      flush();
      nodes.push({
        kind: 'link',
        href: autolink[0],
        children: [{ kind: 'text', text: autolink[0] }],
      });
      rest = rest.slice(autolink[0].length);
      continue;
    }
    plain += rest[0];
    rest = rest.slice(1);
  }
  flush();
  return nodes;
}

function mergeText(nodes: TInline[]): TInline[] {
  const merged: TInline[] = [];
  for (const node of nodes) {
    const last = merged.at(-1);
    if (node.kind === 'text' && last?.kind === 'text') last.text += node.text;
    else merged.push(node);
  }
  return merged;
}
