// Reads the server's Prometheus histograms from GET /metrics, before and after a phase, and estimates
// quantiles of the difference the way Prometheus' histogram_quantile does: linear within a bucket.

/** Upper bound (seconds, Infinity for +Inf) -> cumulative count, summed over every label set. */
export type Buckets = Map<number, number>;

/** The /metrics text, or null when the server has no /metrics (404). */
export async function scrapeMetrics(baseUrl: string, apiToken: string): Promise<string | null> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${apiToken}` } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
  return res.text();
}

/** The buckets of histogram `name`, or null when the text has no such histogram. */
export function histogram(
  text: string | null,
  name: string,
  labelFilter: (labels: string) => boolean = () => true,
): Buckets | null {
  if (text === null) return null;
  const buckets: Buckets = new Map();
  const line = new RegExp(`^${name}_bucket\\{(.*)\\}\\s+(\\S+)`);
  for (const l of text.split('\n')) {
    const m = line.exec(l);
    if (!m || !labelFilter(m[1]!)) continue;
    const le = /(?:^|,)le="([^"]+)"/.exec(m[1]!)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(m[2]));
  }
  return buckets.size > 0 ? buckets : null;
}

export function minus(after: Buckets | null, before: Buckets | null): Buckets | null {
  if (!after) return null;
  return new Map([...after].map(([le, n]) => [le, n - (before?.get(le) ?? 0)]));
}

export const countOf = (b: Buckets | null): number => (b ? (b.get(Infinity) ?? 0) : 0);

/**
 * The q-quantile in milliseconds. Within the bucket that holds it, the observations are assumed to
 * be spread evenly; beyond the last finite bound it answers that bound (a floor, not an estimate).
 */
export function quantileMs(b: Buckets | null, q: number): number {
  if (!b) return Number.NaN;
  const total = countOf(b);
  if (total === 0) return Number.NaN;
  const rank = q * total;
  const bounds = [...b.keys()].sort((x, y) => x - y);
  let lower = 0;
  let below = 0;
  for (const le of bounds) {
    const cumulative = b.get(le)!;
    if (cumulative >= rank) {
      if (le === Infinity) return lower * 1000;
      const inBucket = cumulative - below;
      const share = inBucket === 0 ? 1 : (rank - below) / inBucket;
      return (lower + (le - lower) * share) * 1000;
    }
    lower = le;
    below = cumulative;
  }
  return Number.NaN;
}
