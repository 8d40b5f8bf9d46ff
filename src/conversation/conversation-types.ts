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

export type SessionStatus = 'active' | 'completed' | 'expired' | 'cancelled';

export interface SessionState {
  status: SessionStatus;
  /** Index of the task being asked; equals totalTasks while the summary waits for CONFIRM. */
  currentTaskIndex: number;
  totalTasks: number;
  /** Every answer given so far, one per task, ordered by taskIndex. */
  answers: Answer[];
  /** A photo sent before its text answer. */
  pendingPhoto: string | null;
}

export type InboundEvent =
  | { kind: 'text'; body: string; at: Date }
  | { kind: 'image'; photo: string; caption: string | null; at: Date }
  | { kind: 'unsupported'; type: string; at: Date };

/** What the operator is sent. Buttons come with the channel issue; text is enough for now. */
export type Reply = { kind: 'text'; body: string };

export type Effect = 'none' | 'answered' | 'completed';

export interface TransitionResult {
  state: SessionState;
  replies: Reply[];
  effect: Effect;
  /** The answer stored by this event, when effect is 'answered'. */
  answer?: Answer;
}
