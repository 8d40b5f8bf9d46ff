import type { AnswerStatus } from './conversation-types.js';

export interface ParsedAnswer {
  status: AnswerStatus;
  remarks: string | null;
}

// What WhatsApp itself allows in one text message: a remark is never cut shorter than what could arrive.
export const MAX_REMARKS = 4096;

// The words and marks people type for each answer (issue 14 item 13): "okay", "o.k.", thumbs up, check mark
// (OK), cross mark (NOT OK).
// "nah" stays no answer (it reads as "no": NOT OK or NA?), and so does anything ending in "?": "OK?" asks.
const WORD = /^(not[\s_-]*(?:ok(?:ay)?|o\.\s?k\.?)|nok|ok(?:ay|ey)?|o\.\s?k\.?|n\/a|n\.a\.?|na)/i;
const EMOJI_OK = /^(?:\u{1F44D}[\u{1F3FB}-\u{1F3FF}]?|\u2705|\u2714\uFE0F?|\u2611\uFE0F?)/u;
const EMOJI_NOT_OK = /^(?:\u274C|\u{1F44E}[\u{1F3FB}-\u{1F3FF}]?|\u2716\uFE0F?)/u;
// After a word: a separator ("-", ":", ",", ".", "!"), spaces, the end, or an emoji straight after ("OK" + thumbs up).
const AFTER_WORD = /^(?:\s*[-:\u2013\u2014,;.!]+\s*|\s+|$|(?=\p{Extended_Pictographic}))/u;
const AFTER_EMOJI = /^\s*[-:\u2013\u2014,;.!]*\s*/u;
// A rest made only of these is emphasis, not a remark: "Ok.", "okay!!", "OK" + thumbs up, two check marks.
// (The variation selector and skin tones are alternatives of their own: in a class they would read as joined.)
const NOISE =
  /^(?:[\s.!,;:\-\u2013\u2014\u{1F44D}\u2705\u2714\u2611\u274C\u{1F44E}\u2716]|\uFE0F|[\u{1F3FB}-\u{1F3FF}])*$/u;

const toStatus = (keyword: string): AnswerStatus => {
  const k = keyword.toLowerCase();
  if (k.startsWith('not') || k === 'nok') return 'NOT_OK';
  if (k.startsWith('o')) return 'OK';
  return 'NA';
};

/** Trims and caps a remark; null when nothing is left. Cut by code points so an emoji is not split in half. */
export const cleanRemarks = (remarks: string): string | null => {
  const capped = Array.from(remarks.trim()).slice(0, MAX_REMARKS).join('').trim();
  return capped === '' ? null : capped;
};

const answer = (status: AnswerStatus, rest: string): ParsedAnswer => ({
  status,
  remarks: NOISE.test(rest) ? null : cleanRemarks(rest),
});

export function parseAnswer(text: string): ParsedAnswer | null {
  const t = text.trim();
  for (const [pattern, status] of [
    [EMOJI_OK, 'OK'],
    [EMOJI_NOT_OK, 'NOT_OK'],
  ] as const) {
    const emoji = pattern.exec(t);
    if (emoji !== null) return answer(status, t.slice(emoji[0].length).replace(AFTER_EMOJI, ''));
  }
  const word = WORD.exec(t);
  if (word === null) return null;
  const rest = t.slice(word[0].length);
  const separator = AFTER_WORD.exec(rest);
  if (separator === null) return null;
  return answer(toStatus(word[0]), rest.slice(separator[0].length));
}

/**
 * What a refused text was probably meant as, for the refusal to quote: an answer followed by "?" ("OK?",
 * "okay??") is read as a question, not saved.
 */
export const looksLikeQuestion = (text: string): boolean => {
  const t = text.trim();
  return t.endsWith('?') && parseAnswer(t.replace(/\?+$/, '')) !== null;
};

/**
 * The text without the marks of emphasis after its last word ("Confirm!", "back.", "EDIT 2."). A "?" stays
 * unless `question`: "confirm?" asks before submitting, while "status?" and "help?" ask for what they do.
 */
export const withoutTrailingMarks = (text: string, question = false): string =>
  text
    .replace(
      question
        ? /(?:[\s.!,;:?\u{1F44D}\u2705]|\uFE0F|[\u{1F3FB}-\u{1F3FF}])+$/u
        : /(?:[\s.!,;:\u{1F44D}\u2705]|\uFE0F|[\u{1F3FB}-\u{1F3FF}])+$/u,
      '',
    )
    .trim();

/** CONFIRM or CONFIRMED, in any case, spaced or not, with trailing punctuation ("Confirm!", "confirm."). */
export function isConfirm(text: string): boolean {
  const word = withoutTrailingMarks(text).replace(/\s+/g, '').toUpperCase();
  return word === 'CONFIRM' || word === 'CONFIRMED';
}
