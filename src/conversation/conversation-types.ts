import type { Reply } from '../outbox/outbox-messages.js';
import type { TaskDefinition } from './task-definitions.js';
import type { DueMoment } from './factory-time.js';

// Shapes shared by the pure conversation state machine and the service that persists it.

export type AnswerStatus = 'OK' | 'NOT_OK' | 'NA';

export interface Answer {
  taskIndex: number; // 0-based position in the template
  taskId: number;
  status: AnswerStatus;
  remarks: string | null;
  photo: string | null; // stored file name in WHATSAPP_PHOTOS_DIR: the first photo
  /** Every photo of the answer, `photo` first (at most MAX_PHOTOS). Absent on answers stored before drafts. */
  photos?: string[];
  answeredAt: string; // ISO 8601
  /**
   * A typed task's value: a reading as typed with a point for a comma (`9.2`, kept as text so `6.50` stays
   * what was typed), a choice's label, a text. Absent or null on check answers and NA.
   */
  value?: string | null;
  /** choice: the chosen option's key. */
  optionKey?: string | null;
}

/**
 * What the operator gave so far for the current question, kept until the answer is complete
 * (docs/decisions/0010-answer-draft.md): its status, its note, and its photos.
 */
export interface Draft {
  status: AnswerStatus | null;
  remarks: string | null;
  /** The remark came from a photo's caption that was no answer: an answer with its own remark replaces it. */
  remarksFromCaption: boolean;
  photos: string[];
  /** A typed question's value so far (a reading, a choice's label, a text) and a choice's key. */
  value?: string | null;
  optionKey?: string | null;
  /**
   * Set when a photo completed the previous answer: later photos of the same album (sent in the same
   * second) still go with that answer. Cleared by any message that is not a photo.
   */
  albumOf?: { taskIndex: number; sentAt: string };
}

/** A question's rules as the session started with them (task-definitions.ts). */
export type Task = TaskDefinition;

/** The checklist's (template's) and machine's names, as the operator knows them. */
export interface ChecklistNames {
  template: string;
  machine: string;
  /** A scheduled checklist's due time, read on the day Question 1 is sent (messages.en.ts `dueBy`). */
  due?: DueMoment;
}

export type SessionStatus = 'active' | 'completed' | 'expired' | 'cancelled';

export interface SessionState {
  /** Carried in reply-button ids, so a tap on an older session's or question's button is recognised. */
  sessionId: string;
  status: SessionStatus;
  /** Index of the task being asked; equals totalTasks while the summary waits for CONFIRM. */
  currentTaskIndex: number;
  totalTasks: number;
  /** Every answer given so far, one per task, ordered by taskIndex. */
  answers: Answer[];
  /** The current question's answer under way (status, note, photos); emptyDraft when nothing was given. */
  draft: Draft;
  /** The start template went out (outside the 24-hour window); any reply brings Question 1. */
  awaitingStart: boolean;
  /** A question reopened from the summary (EDIT n); once answered, the summary comes back. */
  editing: boolean;
}

/**
 * `at`: Meta's timestamp (whole seconds), when the operator sent it. `replyTo`: the wamid of the message a reply
 * quotes (swipe-to-reply, Meta's context.id) or a reaction is for.
 */
export type InboundEvent =
  | { kind: 'text'; body: string; at: Date; replyTo?: string }
  | { kind: 'image'; photo: string; caption: string | null; at: Date; replyTo?: string }
  /** An emoji reaction to one of our messages; an empty emoji removes one. */
  | { kind: 'reaction'; emoji: string; replyTo: string; at: Date }
  /**
   * A reply-button or list-row tap (interactive button_reply, list_reply) or a template quick-reply (id = its payload).
   */
  | { kind: 'button'; id: string; title: string; at: Date }
  /** An image whose download failed; nothing was stored. */
  | { kind: 'photoFailed'; at: Date }
  | { kind: 'unsupported'; type: string; at: Date };

// What the conversation can send is the outbox's vocabulary.
export type { ListRow, Reply, ReplyButton } from '../outbox/outbox-messages.js';
export type Effect = 'none' | 'answered' | 'completed';

export interface TransitionResult {
  state: SessionState;
  replies: Reply[];
  effect: Effect;
  /** The message was typed before its question could be read and was not taken (logged for ops). */
  refused?: 'sent_before_question' | 'sent_before_checklist';
  /** The answer stored by this event, when effect is 'answered'. */
  answer?: Answer;
  /**
   * Stored photos this event made unused (a dropped draft's, or those of an answer replaced by a new one,
   * or the event's own photo when it was not kept): the caller deletes the files once the new state is
   * committed, never before.
   */
  discardedPhotos?: string[];
}
