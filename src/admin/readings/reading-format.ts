// How a reading and its limits are written on the manager's pages and in the CSV (pure). A reading is stored as
// typed (PostgreSQL numeric, read as text); a task's `decimals` says how many to show.

export interface Limits {
  min: number | null;
  max: number | null;
}

/** "9.2", or "9.20" with 2 decimals; the stored text as it is when no decimals are set. */
export function readingValue(value: string | number, decimals: number | null | undefined): string {
  const n = Number(value);
  if (decimals === null || decimals === undefined || !Number.isFinite(n)) return String(value);
  return n.toFixed(decimals);
}

export const withUnit = (text: string, unit: string | null | undefined): string => (unit ? `${text} ${unit}` : text);

/** "5 to 8 bar", "at most 60 °C", "at least 0 bar"; empty when no limit is set. */
export function limitsText(l: Limits, unit: string | null | undefined): string {
  if (l.min !== null && l.max !== null) return withUnit(`${l.min} to ${l.max}`, unit);
  if (l.max !== null) return `at most ${withUnit(String(l.max), unit)}`;
  if (l.min !== null) return `at least ${withUnit(String(l.min), unit)}`;
  return '';
}

/** Which limit a value breaks (both are inclusive: a value on a limit is in range). */
export function outOfRange(value: number, l: Limits): 'above' | 'below' | null {
  if (l.max !== null && value > l.max) return 'above';
  if (l.min !== null && value < l.min) return 'below';
  return null;
}

/** "above the limit of 8 bar", as the operator's reply says it; empty when in range. */
export function rangeText(value: number, l: Limits, unit: string | null | undefined): string {
  const side = outOfRange(value, l);
  if (side === 'above') return `above the limit of ${withUnit(String(l.max), unit)}`;
  if (side === 'below') return `below the limit of ${withUnit(String(l.min), unit)}`;
  return '';
}

/** An answer's value as a report shows it: the reading with its unit and limits, the option chosen, the text. */
export interface AnswerValue {
  type: string;
  value: number | string | null;
  unit: string | null;
  min: number | null;
  max: number | null;
}

export interface ShownValue {
  /** "9.2 bar", "Dirty", "SN-4471"; null for a check task or an NA. */
  text: string | null;
  /** "5 to 8 bar" for a reading with limits, else empty. */
  limits: string;
  /** "above the limit of 8 bar" when a reading broke its limits, else empty. */
  outOfRange: string;
}

export function shownValue(a: AnswerValue): ShownValue {
  if (a.value === null || a.value === '') return { text: null, limits: '', outOfRange: '' };
  if (a.type !== 'number') return { text: String(a.value), limits: '', outOfRange: '' };
  const limits = { min: a.min, max: a.max };
  return {
    text: withUnit(String(a.value), a.unit),
    limits: limitsText(limits, a.unit),
    outOfRange: rangeText(Number(a.value), limits, a.unit),
  };
}
