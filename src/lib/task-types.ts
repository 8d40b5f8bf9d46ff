/**
 * The kinds of question a checklist task can be (issue 16), shared by the catalogue (which validates
 * templates) and the conversation (which asks them): neither imports the other.
 */
export const TASK_TYPES = ['check', 'number', 'choice', 'text'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** A choice's option: `key` is stable (stored on answers), `label` is what the operator sees (<= 20 characters). */
export interface ChoiceOption {
  key: string;
  label: string;
  fails: boolean;
}

/** Meta's limits: a reply button's title (a choice's label) and the rows of one list message. */
export const OPTION_LABEL_MAX = 20;
export const LIST_ROWS_MAX = 10;
export const MIN_OPTIONS = 2;

/** A label as compared: case, accents and repeated spaces ignored ("Dañado" = "danado"). */
export const foldLabel = (s: string): string =>
  s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
