/** A URL slug from free text: lower-case ASCII letters, digits and single dashes. */
export function slugify(text: string, maxLength = 60): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
  return slug || 'item';
}

/**
 * Inserts a row under the first free slug of `base`, `base-2`, `base-3`… The unique index is the
 * real guard: when a concurrent insert takes the chosen slug first, `insert` returns undefined and
 * the next candidate is tried.
 */
export async function insertWithUniqueSlug<T>(
  base: string,
  takenSlugs: (base: string) => Promise<string[]>,
  insert: (slug: string) => Promise<T | undefined>,
): Promise<T> {
  const taken = new Set(await takenSlugs(base));
  let n = 1;
  for (let tries = 0; tries < 20; tries++) {
    let slug = n === 1 ? base : `${base}-${n}`;
    while (taken.has(slug)) slug = `${base}-${++n}`;
    const row = await insert(slug);
    if (row !== undefined) return row;
    taken.add(slug);
  }
  throw new Error(`No free slug for ${base}`);
}
