// Shapes shared by the pure conversation state machine and the service that persists it.

export type AnswerStatus = 'OK' | 'NOT_OK' | 'NA';

export interface Answer {
  taskIndex: number; // 0-based position in the template
  taskId: number;
  status: AnswerStatus;
  remarks: string | null;
  photo: string | null; // stored file name in WHATSAPP_PHOTOS_DIR
  answeredAt: string; // ISO 8601
}

export interface Task {
  id: number;
  text: string;
  requiresPhoto: boolean;
}

/** The checklist's (template's) and machine's names, as the operator knows them. */
export interface ChecklistNames {
  template: string;
  machine: string;
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
  /** A photo sent before its text answer. */
  pendingPhoto: string | null;
  /** NOT OK was tapped; the next text or photo completes that answer. */
  awaitingNote: boolean;
  /** The start template went out (outside the 24-hour window); any reply brings Question 1. */
  awaitingStart: boolean;
  /** A question reopened from the summary (EDIT n); once answered, the summary comes back. */
  editing: boolean;
}

export type InboundEvent =
  | { kind: 'text'; body: string; at: Date }
  | { kind: 'image'; photo: string; caption: string | null; at: Date }
  /** A reply-button or list-row tap (interactive button_reply, list_reply) or a template quick-reply (id = its payload). */
  | { kind: 'button'; id: string; title: string; at: Date }
  /** An image whose download failed; nothing was stored. */
  | { kind: 'photoFailed'; at: Date }
  | { kind: 'unsupported'; type: string; at: Date };

export interface ReplyButton {
  id: string; // at most 256 characters
  title: string; // at most 20 characters
}

/** A row of a list message: id at most 256 characters, title 24, description 72. */
export interface ListRow {
  id: string;
  title: string;
  description: string;
}

/**
 * What the operator is sent. Buttons: at most 3. A list: one section of at most 10 rows, opened by a
 * button labelled `button` (at most 20 characters). The service splits bodies over Meta's limits.
 */
export type Reply =
  | { kind: 'text'; body: string }
  | { kind: 'buttons'; body: string; buttons: ReplyButton[] }
  | { kind: 'list'; body: string; button: string; section: string; rows: ListRow[] };

export type Effect = 'none' | 'answered' | 'completed';

export interface TransitionResult {
  state: SessionState;
  replies: Reply[];
  effect: Effect;
  /** The answer stored by this event, when effect is 'answered'. */
  answer?: Answer;
  /**
   * A stored photo this event made unused (a replaced pending photo, or the photo of an answer replaced by
   * a new one): the caller deletes the file once the new state is committed, never before.
   */
  discardedPhoto?: string;
}
