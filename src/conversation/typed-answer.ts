// Reading a typed question's answer (issue 16): a number with its unit and an optional remark, a choice by
// its number or label, any text. Pure; the conversation (answer-steps.ts) decides what to do with it.
import type { AnswerStatus, Task } from './conversation-types.js';
import { cleanRemarks, parseAnswer } from './parse-answer.js';
import { allowsNa, typeOf } from './task-definitions.js';
import { foldLabel } from '../lib/task-types.js';

export interface TypedAnswer {
  status: AnswerStatus;
  remarks: string | null;
  /** The reading as typed with a point for a comma, the choice's label, or the text; null for NA. */
  value: string | null;
  optionKey: string | null;
  /** A reading outside the task's limits: which one it broke. */
  outOfRange?: { side: 'above' | 'below'; limit: number };
}

/** What a text on a typed question is: an answer, NA where it is not allowed, or nothing understood. */
export type TypedRead = TypedAnswer | 'na_not_allowed' | null;

// A number: digits, one decimal mark (a point or a comma), an optional sign. No thousands separators, so
// "1,000" (a comma followed by exactly three digits) is refused rather than read as 1.
const NUMBER = /^([+-]?)(\d+)(?:[.,](\d+))?/;
const THOUSANDS = /^[+-]?\d{1,3},\d{3}(?!\d)/;
// What may sit between the value and its remark.
const SEPARATOR = /^\s*[-:\u2013\u2014,;]+\s*/;

export function parseNumber(
  text: string,
  unit: string | null = null,
): { value: string; remarks: string | null } | null {
  const t = text.trim();
  if (THOUSANDS.test(t)) return null;
  const match = NUMBER.exec(t);
  if (match === null) return null;
  const [whole, sign = '', int = '', frac] = match;
  let rest = t.slice(whole.length);
  // A letter or digit straight after the number ("6.5.3", "12abc") is no reading; the unit may follow.
  const u = unit?.trim();
  if (u && foldLabel(rest.trimStart()).startsWith(foldLabel(u))) {
    const afterUnit = rest.trimStart().slice(u.length);
    if (afterUnit === '' || /^[\s\-:\u2013\u2014,;.!]/u.test(afterUnit)) rest = afterUnit;
  }
  if (rest !== '' && !/^[\s\-:\u2013\u2014,;]/u.test(rest) && !/^[.!]+$/.test(rest)) return null;
  const remark = rest.replace(SEPARATOR, '').replace(/^[.!]+$/, '');
  const value = `${sign === '-' ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}`;
  return { value, remarks: cleanRemarks(remark) };
}

/** A choice by its number ("2") or its label (case and accents ignored), with an optional remark after a dash. */
export function parseChoice(
  text: string,
  task: Task,
): { key: string; label: string; fails: boolean; remarks: string | null } | null {
  const options = task.options ?? [];
  const t = text.trim();
  const pick = (head: string) => {
    const n = /^\d{1,2}$/.test(head.trim()) ? Number(head.trim()) : NaN;
    if (n >= 1 && n <= options.length) return options[n - 1];
    return options.find((o) => foldLabel(o.label) === foldLabel(head));
  };
  const whole = pick(t);
  if (whole) return { ...whole, remarks: null };
  const dash = /\s*[-:\u2013\u2014]\s*/u.exec(t);
  if (dash === null) return null;
  const head = pick(t.slice(0, dash.index));
  return head ? { ...head, remarks: cleanRemarks(t.slice(dash.index + dash[0].length)) } : null;
}

/** A typed question's text as an answer (a check task's is read by parseAnswer alone). */
export function readTyped(task: Task, text: string): TypedRead {
  const plain = parseAnswer(text);
  if (plain?.status === 'NA') {
    if (!allowsNa(task)) return 'na_not_allowed';
    return { status: 'NA', remarks: plain.remarks, value: null, optionKey: null };
  }
  switch (typeOf(task)) {
    case 'number': {
      const n = parseNumber(text, task.unit ?? null);
      if (n === null) return null;
      const v = Number(n.value);
      const outOfRange =
        task.max != null && v > task.max
          ? { side: 'above' as const, limit: task.max }
          : task.min != null && v < task.min
            ? { side: 'below' as const, limit: task.min }
            : undefined;
      return {
        status: outOfRange ? 'NOT_OK' : 'OK',
        remarks: n.remarks,
        value: n.value,
        optionKey: null,
        ...(outOfRange ? { outOfRange } : {}),
      };
    }
    case 'choice': {
      const c = parseChoice(text, task);
      if (c === null) return null;
      return { status: c.fails ? 'NOT_OK' : 'OK', remarks: c.remarks, value: c.label, optionKey: c.key };
    }
    case 'text': {
      const value = cleanRemarks(text);
      return value === null ? null : { status: 'OK', remarks: null, value, optionKey: null };
    }
    case 'check':
      return null;
  }
}

/** The option a tap chose (its key from the button or row id), or undefined when the task has no such option. */
export function tappedOption(task: Task, key: string): TypedAnswer | undefined {
  const o = (task.options ?? []).find((x) => x.key === key);
  if (!o) return undefined;
  return { status: o.fails ? 'NOT_OK' : 'OK', remarks: null, value: o.label, optionKey: o.key };
}
