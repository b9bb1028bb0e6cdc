/** "Did you mean" hints for names a user mistyped (regions, field names). */

/** The closest candidate by edit distance. */
export function nearest(value: string, candidates: readonly string[]): string {
  let best = candidates[0];
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The candidate when it is close enough to be what was meant, else undefined. */
export function closeMatch(value: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const candidate = nearest(value, candidates);
  return editDistance(value.toLowerCase(), candidate.toLowerCase()) <= Math.max(2, Math.floor(value.length / 3)) ? candidate : undefined;
}
