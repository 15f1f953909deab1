/**
 * Remembers what `make` returns for the most recent keys, at most `max` of them (the oldest
 * goes first). For values that are costly to build and asked for again soon: Intl formatters,
 * a ticket's QR symbol drawn for its stored image and again for its PDF.
 */
export function rememberRecent<TKey, TValue>(
  max: number,
  make: (key: TKey) => TValue,
): (key: TKey) => TValue {
  const kept = new Map<TKey, TValue>();
  return (key) => {
    const known = kept.get(key);
    if (known !== undefined) return known;
    const value = make(key);
    if (kept.size >= max) kept.delete(kept.keys().next().value as TKey);
    kept.set(key, value);
    return value;
  };
}
