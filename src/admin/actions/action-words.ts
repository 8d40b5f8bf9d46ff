// How the pages say an action's due day, its reading and its closing note (pure; tested table by table).
import { rangeText, withUnit } from '../readings/reading-format.js';

const DAY_MS = 86_400_000;
/** A day as a date in words, the style of the pages' times without the time: "7 Dec 2026" ("Dec 7, 2026" once
 *  public/admin.js redraws it in the browser's language). A due day is a calendar day: no time zone moves it. */
const dayFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

export interface DueWords {
  /** The day in words: "7 Dec 2026". */
  date: string;
  /** "due today", "due tomorrow", "in 5 days", "overdue by 3 days"; empty once the action is closed. */
  relative: string;
}

/** `today`: the factory's day (factoryToday); `stillOpen`: open or in progress (a closed one is never overdue). */
export function dueWords(dueAt: string | null, today: string, stillOpen: boolean): DueWords | null {
  if (!dueAt) return null;
  const date = dayFormat.format(new Date(`${dueAt}T00:00:00Z`));
  if (!stillOpen) return { date, relative: '' };
  const n = daysBetween(today, dueAt);
  const relative =
    n === 0 ? 'due today' : n === 1 ? 'due tomorrow' : n > 1 ? `in ${days(n)}` : `overdue by ${days(-n)}`;
  return { date, relative };
}

/** "9.2 bar, above the limit of 8 bar" for an action opened by a reading out of its limits; null for a check. */
export function readingWords(a: {
  valueNumeric: string | null;
  unit: string | null;
  minValue: number | null;
  maxValue: number | null;
}): string | null {
  if (a.valueNumeric === null) return null;
  const value = withUnit(a.valueNumeric, a.unit);
  const range = rangeText(Number(a.valueNumeric), { min: a.minValue, max: a.maxValue }, a.unit);
  return range ? `${value}, ${range}` : value;
}

/** A closing note shortened for a list's cell, at a word when one ends near the limit. */
export function shortNote(note: string | null, max = 80): string {
  if (!note) return '';
  const flat = note.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** What the views call as `words.*` for the actions of one page, `today` being the factory's day. */
export const actionWords = (today: string) => ({
  due: (a: { dueAt: string | null; status: string }) =>
    dueWords(a.dueAt, today, a.status === 'open' || a.status === 'in_progress'),
  reading: readingWords,
  shortNote,
});
