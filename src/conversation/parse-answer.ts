import type { AnswerStatus } from './conversation-types.js';

export interface ParsedAnswer {
  status: AnswerStatus;
  remarks: string | null;
}

const MAX_REMARKS = 1000;

// The keyword must be followed by a separator or the end, so "OKAY", "OK?" and "NAH" are not answers.
const ANSWER = /^(not[\s_-]*ok|nok|ok|n\/a|n\.a\.?|na)(?:\s*[-:\u2013\u2014]+\s*|\s+|$)(.*)$/is;

const toStatus = (keyword: string): AnswerStatus => {
  const k = keyword.toLowerCase();
  if (k === 'ok') return 'OK';
  if (k.startsWith('n') && k.endsWith('ok')) return 'NOT_OK';
  return 'NA';
};

/** Trims and caps a remark; null when nothing is left. Cut by code points so an emoji is not split in half. */
export const cleanRemarks = (remarks: string): string | null => {
  const capped = Array.from(remarks.trim()).slice(0, MAX_REMARKS).join('').trim();
  return capped === '' ? null : capped;
};

export function parseAnswer(text: string): ParsedAnswer | null {
  const match = ANSWER.exec(text.trim());
  if (match === null) return null;
  const [, keyword = '', remarks = ''] = match;
  return { status: toStatus(keyword), remarks: cleanRemarks(remarks) };
}

export function isConfirm(text: string): boolean {
  return text.replace(/\s+/g, '').toUpperCase() === 'CONFIRM';
}
