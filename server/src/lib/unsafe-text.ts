/**
 * NUL and unpaired UTF-16 surrogates: no legitimate text holds them, PostgreSQL cannot store
 * them (`text` refuses 0x00, `jsonb` refuses `\u0000` and lone `\uD800`-style escapes), and
 * the UTF-8 encoder would silently turn a lone surrogate into U+FFFD.
 */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isUnsafeText = (s: string) => s.includes('\0') || loneSurrogate.test(s);

type TNode = { value: unknown; key: string | null; parent: TNode | null };

/**
 * The path of the first string (value or object key) in `value` holding text that can be
 * neither stored nor meant, or null when there is none. Request input is checked with it
 * before validation, so such input is a 400 instead of a database error. Iterative, so
 * hostile nesting (thousands of levels) cannot overflow the stack.
 */
export function findUnsafeText(value: unknown): string[] | null {
  // Every request is checked and almost none holds such text: a walk that allocates nothing
  // per node answers first, and only a hit pays for the walk that records where it is.
  return containsUnsafeText(value) ? pathToUnsafeText(value) : null;
}

function containsUnsafeText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') {
      if (isUnsafeText(node)) return true;
    } else if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) stack.push(node[i]);
    } else if (typeof node === 'object' && node !== null && !Buffer.isBuffer(node)) {
      for (const key in node) {
        if (!Object.hasOwn(node, key)) continue;
        if (isUnsafeText(key)) return true;
        stack.push((node as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

function pathToUnsafeText(value: unknown): string[] | null {
  const pathOf = (node: TNode, last?: string) => {
    const path = last === undefined ? [] : [last];
    for (let n: TNode | null = node; n; n = n.parent) if (n.key !== null) path.unshift(n.key);
    return path;
  };
  const stack: TNode[] = [{ value, key: null, parent: null }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (typeof node.value === 'string') {
      if (isUnsafeText(node.value)) return pathOf(node);
      continue;
    }
    if (typeof node.value !== 'object' || node.value === null || Buffer.isBuffer(node.value))
      continue;
    for (const [key, child] of Object.entries(node.value)) {
      if (isUnsafeText(key)) return pathOf(node, key);
      stack.push({ value: child, key, parent: node });
    }
  }
  return null;
}
