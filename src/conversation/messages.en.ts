import { withoutBidiControls } from '../lib/bidi.js';
import { looksLikeQuestion } from './parse-answer.js';
import { firstCharacters, singleLine } from './single-line.js';
import type { Answer, AnswerStatus, ChecklistNames, Task } from './conversation-types.js';
import type { DueMoment } from './factory-time.js';
import { typeOf } from './task-definitions.js';

const statusLabels: Record<AnswerStatus, string> = { OK: 'OK', NOT_OK: 'NOT OK', NA: 'NA' };

/** What the operator sent, quoted back in one short line. */
const quoted = (received: string): string => singleLine(received, 40);

/** "All 3 questions answered"; a rework of one task has one question, and "The 1 question" reads oddly (QA pass). */
const allAnswered = (total: number): string =>
  total === 1 ? 'The question is answered' : `All ${total} questions answered`;

/**
 * After "due by" (Question 1) and "was due at" (a missed queued checklist): the time alone on the day the message is
 * sent, "06:00 tomorrow" on the next (a night shift past midnight), "23:30 yesterday" on the one before (found missed
 * after midnight), else the day too, "Tue 8 Dec 06:00", so a bare time never points to the wrong day.
 */
const dueBy = (due: DueMoment): string => {
  if (due.daysAhead === 0) return due.time;
  if (due.daysAhead === 1) return `${due.time} tomorrow`;
  if (due.daysAhead === -1) return `${due.time} yesterday`;
  return `${due.day} ${due.time}`;
};

/**
 * Under every check question: the form of an answer, in words that fit any task (QA pass: "Example: OK - oil
 * level normal" under "Check belt tension" read oddly). One short line for a cheap phone's screen.
 */
const formatHint = (): string => 'Tap a button or reply OK / NOT OK / NA. Example: NOT OK - what is wrong';

/**
 * `names`: given for Question 1 of a conversation, so checklists that arrive back to back are told apart.
 * They go last: external checks and the user's guide rely on the text starting with "📋 Question n of N: ".
 */
const question = (
  n: number,
  total: number,
  taskText: string,
  requiresPhoto = false,
  names: ChecklistNames | null = null,
  expected: string | null = null,
): string => {
  const lines = [`📋 Question ${n} of ${total}: ${taskText}`, expected ?? formatHint()];
  if (requiresPhoto) {
    lines.push('📷 Photo required: send it with your answer as its caption, or send the photo first.');
  }
  if (names !== null)
    lines.push(`🛠 ${names.machine} · ${names.template}${names.due ? ` · due by ${dueBy(names.due)}` : ''}`);
  return lines.join('\n');
};

// Typed questions (issue 16): the expected answer, the re-asks, the out-of-range line, values shown.
const withUnit = (value: string | number, unit: string | null | undefined) => (unit ? `${value} ${unit}` : `${value}`);

const limits = (t: Task): string => {
  if (t.min != null && t.max != null) return ` (${t.min} to ${t.max})`;
  if (t.min != null) return ` (at least ${t.min})`;
  if (t.max != null) return ` (at most ${t.max})`;
  return '';
};

/** The line under a typed question saying what answer is expected; null for a check task (the usual hint). */
const expectedAnswer = (t: Task): string | null => {
  const na = (t.allowNa ?? true) ? ' (or NA)' : '';
  switch (typeOf(t)) {
    case 'number':
      return `Type the value${t.unit ? ` in ${t.unit}` : ''}${limits(t)}.${na ? ' Reply NA if it cannot be read.' : ''}`;
    case 'choice':
      return [
        `Tap your answer, or type its number${na}:`,
        ...(t.options ?? []).map((o, i) => `${i + 1}. ${o.label}`),
      ].join('\n');
    case 'text':
      return `Type your answer${na}.`;
    case 'check':
      return null;
  }
};

export const typedMessagesEn = {
  expectedAnswer,
  /** The list's button and section for a choice with more options than three buttons hold (<= 20 / 24 characters). */
  choiceList: { button: 'Choose', section: 'Options' },
  outOfRange: (value: string, t: Task, side: 'above' | 'below', limit: number): string =>
    `⚠️ ${withUnit(value, t.unit)} is ${side} the limit of ${withUnit(limit, t.unit)}: saved as NOT OK.`,
  notANumber: (received: string, t: Task): string =>
    `🤔 Sorry, "${received}" is not a number. Type the value${t.unit ? ` in ${t.unit}` : ''}, for example ${
      t.min != null && t.max != null ? (t.min + t.max) / 2 : 6.5
    }${(t.allowNa ?? true) ? ', or NA if it cannot be read' : ''}. Nothing was saved.`,
  notAnOption: (received: string, t: Task): string =>
    `🤔 Sorry, "${received}" is not one of the options. Tap one, or type its number (1 to ${(t.options ?? []).length}).`,
  emptyText: (): string => '🤔 Please type your answer.',
  /** A 👍 on a reading, a choice or a text question: it gives no value, so nothing is saved. */
  thumbsUpNeedsValue: (t: Task): string =>
    [`🙂 Thanks, but a 👍 cannot answer this question.`, expectedAnswer(t) ?? formatHint()].join(' '),
  naNotAllowed: (): string => 'This question cannot be answered NA.',
  /** A NOT OK reading in an alert: the value, the unit and the limit it broke ("9.2 bar, above the limit of 8 bar"). */
  alertReading: (answer: Answer, t: Task | undefined): string | null => {
    if (!t || typeOf(t) !== 'number' || answer.value == null) return null;
    const v = Number(answer.value);
    if (t.max != null && v > t.max)
      return `${withUnit(answer.value, t.unit)}, above the limit of ${withUnit(t.max, t.unit)}`;
    if (t.min != null && v < t.min)
      return `${withUnit(answer.value, t.unit)}, below the limit of ${withUnit(t.min, t.unit)}`;
    return withUnit(answer.value, t.unit);
  },
  /** How a typed answer's value reads in the summary and the Edit list ("9.2 bar", "Damaged"). */
  shownValue: (answer: Answer, t: Task | undefined): string | null => {
    if (answer.value == null || answer.status === 'NA') return null;
    return t && typeOf(t) === 'number' ? withUnit(answer.value, t.unit) : answer.value;
  },
};

/** At most this many characters of a remark are shown on WhatsApp (issue 14 item 5); managers see it whole. */
export const SHOWN_REMARK_LENGTH = 100;

/**
 * A remark as shown: its first SHOWN_REMARK_LENGTH characters (then "…"), without the bidi controls that
 * would reorder the message after it.
 */
const shownRemark = (remarks: string | null): string =>
  remarks === null ? '' : ` - ${firstCharacters(withoutBidiControls(remarks), SHOWN_REMARK_LENGTH)}`;

/** `task`: the answer's question, whose unit goes with a reading ("9.2 bar NOT OK"). */
const answerText = (answer: Answer, task?: Task): string => {
  const remarks = shownRemark(answer.remarks);
  const photo = answer.photo === null ? '' : ' 📷';
  const value = typedMessagesEn.shownValue(answer, task);
  return `${value === null ? '' : `${value} `}${statusLabels[answer.status]}${remarks}${photo}`;
};

const answerDescription = (answer: Answer | undefined, task?: Task): string =>
  answer === undefined ? 'no answer' : answerText(answer, task);

/** A rework's question n is task `position` of the checklist: said when they differ (issue 18 item 2). */
const taskOfChecklist = (position: number): string => `(task ${position} of the checklist)`;

/** "(task 4 of the checklist)" for a rework's question n that is another task number of the checklist, else null. */
const positionNote = (n: number, task: Task): string | null =>
  task.position !== undefined && task.position !== n ? taskOfChecklist(task.position) : null;

/** The summary numbers a line like its question, with the task's own number when a rework's differs. */
const summaryLine = (n: number, task: Task, answer: Answer | undefined): string => {
  const note = positionNote(n, task);
  return `${n}. ${task.text}${note === null ? '' : ` ${note}`} - ${answerDescription(answer, task)}`;
};

/**
 * Under a row of the Edit list: the current answer, after the task's own number when a rework's question n
 * differs, as the summary says it. It goes first, and here: the row's title is cut at 24 characters.
 */
const editRowDescription = (n: number, task: Task, answer: Answer | undefined): string => {
  const note = positionNote(n, task);
  return `${note === null ? '' : `${note} `}${answerDescription(answer, task)}`;
};

const help = (): string =>
  [
    'ℹ️ How to answer:',
    '• Tap OK, NOT OK or N/A, or reply OK / NOT OK / NA with a remark. Example: NOT OK - belt worn',
    '• Photos: send the photo with your answer as its caption, or send the photo first and then your answer.',
    'Commands:',
    '• BACK - answer the previous question again',
    '• EDIT n - change answer n, once all questions are answered (example: EDIT 2)',
    '• STATUS - where you are in the checklist',
    '• HELP - this message',
    '• CONFIRM - submit the checklist, once all questions are answered',
  ].join('\n');

/** A rework of one task: no range "1 to 1" and no example naming a question it does not have. */
const editHelp = (total: number): string =>
  total === 1
    ? 'To change the answer, reply EDIT 1.'
    : `To change an answer, reply EDIT and its question number (1 to ${total}). Example: EDIT 2`;

// The guide and external checks rely on the thank-you starting with this sentence.
const completed = (): string => '🎉 Thank you! Your checklist has been submitted.';

/** Every word the operator reads. Prompts are joined after these texts by the state machine. */
export const messagesEn = {
  /** Reply-button titles: at most 20 characters each (Meta's limit). */
  buttonTitles: { OK: 'OK', NOT_OK: 'NOT OK', NA: 'N/A', CONFIRM: 'Confirm', EDIT: 'Edit' },
  formatHint,
  question,
  dueBy,
  ...typedMessagesEn,
  help,
  /** A refusal quotes what was received (cut to one short line); the question and its buttons follow it. */
  invalidAnswer: (received: string): string =>
    looksLikeQuestion(received)
      ? `🤔 "${quoted(received)}" reads as a question, so it was not saved as your answer. Send it without the "?" (example: OK), or tap a button.`
      : `🤔 Sorry, I didn't understand "${quoted(received)}". Start your answer with OK, NOT OK or NA, or tap a button.`,
  confirmTooEarly: (): string => 'There are still questions to answer before CONFIRM.',
  photoReceived: (): string => '📷 Photo received, now send OK / NOT OK / NA with remarks',
  photoFailed: (): string => 'Sorry, I could not get your photo. Please send it again.',
  notOkAskNote: (): string => 'What is wrong? Send a note (and a photo)',
  /** A NOT OK's note with no word in it (a 👍, "..."): the manager and the action need words. */
  noteNeedsWords: (): string => '✍️ Please say in a few words what is wrong: your manager reads this note.',
  /** A photo (or several) is kept for the current question; no status was given yet. */
  photosReceived: (count: number, withNote: boolean): string =>
    `📷 ${count > 1 ? `Photo ${count} received` : 'Photo received'}${withNote ? ' with your note' : ''}, now send OK / NOT OK / NA with remarks`,
  photoGotNeedNote: (): string => '📷 Got the photo. Now send a short note: what is wrong?',
  answerNeedsPhoto: (status: AnswerStatus, remarks: string | null): string =>
    `Got your answer (${statusLabels[status]}${shownRemark(remarks)}). 📷 This question needs a photo: send it now.`,
  tooManyPhotos: (max: number): string => `📷 Only ${max} photos are kept per question; this one was not kept.`,
  /** A photo of an album that arrived once its question was answered by the first one. */
  photoAddedTo: (n: number, count: number): string =>
    `📷 Also added to your answer to question ${n} (${count} photos).`,
  photoAtSummary: (): string =>
    '📷 This photo was not attached: all questions are answered. To add a photo to an answer, reply EDIT and its number (or tap Edit and choose it), then send the photo.',
  /** An answer under way on a question left (EDIT n, BACK, CONFIRM) before it was complete. */
  unfinishedNotKept: (n: number, hadEarlier: boolean): string =>
    hadEarlier
      ? `⚠️ Your unfinished change to question ${n} was not kept; your earlier answer stays.`
      : `⚠️ Your unfinished answer to question ${n} was not kept.`,
  staleButton: (): string => 'That button belongs to an earlier question.',
  /** A tap on an answered question's button: how to change that answer from where the operator is. */
  staleAnswerButton: (n: number, where: 'summary' | 'editing' | 'answering'): string => {
    const how =
      where === 'summary'
        ? `reply EDIT ${n} or tap Edit`
        : where === 'editing'
          ? `reply EDIT ${n}`
          : `reply EDIT ${n} once all questions are answered, or BACK to go back one question`;
    return `That button belongs to question ${n}, which is already answered. To change that answer, ${how}.`;
  },
  /** `photoWaiting`: a photo sent on another question goes with the new answer (photoCarried says so). */
  earlierAnswer: (answer: Answer, photoWaiting = false): string =>
    answer.photo === null || photoWaiting
      ? `Your earlier answer: ${answerText(answer)}`
      : `Your earlier answer: ${answerText(answer)}\n📷 Send only your answer to keep this photo, or a new photo to replace it.`,
  /** A question asked again while a photo sent on another question waits: that photo goes with this answer. */
  photoCarried: (): string => '📷 The photo you just sent goes with your answer to this question.',
  noPreviousQuestion: (): string => 'This is the first question, there is no previous one.',
  editHelp,
  /** The list the Edit button opens (Meta's limits: label 20 characters, section title 24). */
  editList: { button: 'Choose a question', section: 'Questions' },
  /** The typed way (EDIT n) stays in the body: typing still works for whoever prefers it. */
  editListBody: (total: number): string =>
    `✏️ Which answer do you want to change? Tap "Choose a question" and pick it.\n${editHelp(total)}`,
  /** A row of the Edit list: its title (cut to 24 characters) and, as its description, the current answer. */
  editRowTitle: (n: number, taskText: string): string => `${n}. ${taskText}`,
  editRowDescription,
  answerDescription,
  /** Says how many questions there are: a rework asks only some of the checklist's tasks (issue 18 item 2). */
  editOutOfRange: (n: number, total: number): string =>
    total === 1
      ? `There is no question ${n}: there is only 1 question. Reply EDIT 1 to change its answer.`
      : `There is no question ${n}: there are ${total} questions. Reply EDIT and a number from 1 to ${total}.`,
  editNotYet: (): string => 'EDIT works once all questions are answered.',
  /** At the summary the CONFIRM prompt follows it, so it does not say "Reply CONFIRM" itself. */
  status: (n: number, total: number, answered: number): string =>
    n > total ? `${allAnswered(total)}.` : `Question ${n} of ${total}, ${answered} answered`,
  summary: (tasks: Task[], answers: Answer[]): string => {
    const lines = tasks.map((task, i) =>
      summaryLine(
        i + 1,
        task,
        answers.find((a) => a.taskIndex === i),
      ),
    );
    return [`✅ ${allAnswered(tasks.length)}. Summary:`, ...lines, 'Reply CONFIRM to submit.'].join('\n');
  },
  confirmPrompt: (): string =>
    'Reply CONFIRM to submit your checklist, or EDIT and a question number to change an answer.',
  completed,
  /**
   * The thank-you as sent after CONFIRM (issue 14 item 17): it starts with completed(), names what was
   * submitted, and says what comes next: the operator's next queued checklist starts at once.
   */
  submitted: (done: ChecklistNames, queue: QueueAhead): string => {
    const lines = [completed(), `✅ "${done.template}" for ${done.machine} is complete.`];
    if (queue.next === null) lines.push('No other checklist is waiting for you.');
    else if (queue.nextIsRework) {
      const next = `the checklist your manager sent back, "${queue.next.template}" for ${queue.next.machine}`;
      lines.push(queue.startsNow ? `➡️ Next: ${next}. Its questions follow now.` : `➡️ Next: ${next}.`);
    } else {
      const next = `"${queue.next.template}" for ${queue.next.machine}`;
      lines.push(queue.startsNow ? `➡️ Next: ${next}. Its first question follows now.` : `➡️ Next: ${next}.`);
    }
    if (queue.next !== null) {
      const after = queue.waiting - 1;
      if (after > 0) lines.push(`After it, ${after} more ${after === 1 ? 'checklist is' : 'checklists are'} waiting.`);
    }
    return lines.join('\n');
  },
  /** To an operator busy with another checklist when a manager assigns one (only inside the 24-hour window). */
  queued: (names: ChecklistNames): string =>
    `🗂 New checklist queued: "${names.template}" for ${names.machine}. It starts when you finish the one you are answering.`,
  /** A Confirm or Edit tap on a checklist that was submitted already (issue 14 item 16). */
  alreadySubmitted: (names: ChecklistNames): string =>
    `✅ Your checklist "${names.template}" for ${names.machine} was already submitted, so that tap changed nothing.`,
  /** A typed CONFIRM when the operator's latest checklist (last 24 hours) was submitted already. */
  alreadySubmittedTyped: (): string =>
    '✅ Your checklist was already submitted, so there is nothing to confirm now. Your manager will assign the next one.',
  noActiveSession: (): string =>
    '👋 There is no open checklist for this number right now. Your manager will assign one.',
  /** To someone who wrote with a username and no number, and is no operator (at most once a day). */
  unknownUsername: (): string =>
    '👋 You are not registered for KINTO Checklists yet. If you should be answering checklists here, tell your manager: they see your WhatsApp username and can add you.',
  /** To a number that is no operator (at most once a day). */
  unknownNumber: (): string =>
    '👋 This number is not registered for KINTO Checklists. If you should be answering checklists here, ask your manager to add this number.',
  unsupportedType: (): string => 'Sorry, I can only read text and photos. Please answer with text or a photo.',
  cancelled: (checklist: string, machine: string): string =>
    `🛑 Your checklist "${checklist}" for ${machine} was cancelled by your manager. No need to answer it any more.`,
  /**
   * The first line of a rework (issue 18 item 2): which checklist and machine, when the operator submitted it
   * (`submittedOn`, "Mon 7 Dec, 06:12" in the factory's zone: they may have submitted one of that name since), and
   * what the manager said.
   */
  reworkIntro: (names: ChecklistNames, comment: string, k: number, submittedOn: string): string =>
    `🔁 Your manager sent back "${names.template}" for ${names.machine}, your checklist of ${submittedOn}: "${singleLine(comment, 300)}". Please answer ${k === 1 ? 'this question' : `these ${k} questions`} again.`,
  /**
   * After a rework's question whose number is not the task's in the checklist (issue 18 item 2), so "task 2" in the
   * manager's comment is found: "📋 Question 1 of 1: Check belts (task 2 of the checklist)".
   */
  taskOfChecklist,
  /** A rework the manager cancelled while its questions were being answered. */
  reworkCancelled: (names: ChecklistNames): string =>
    `🛑 Your manager cancelled the rework of "${names.template}" for ${names.machine}. No need to answer it any more; your earlier answers stay.`,
  // Used by the service and the lifecycle worker (session-ending, reminders, manager alerts).
  expired: (checklist: string, machine: string): string =>
    `⏰ Your checklist "${checklist}" for ${machine} was not finished in time and has expired. Your manager can send it again.`,
  /** A scheduled checklist not finished by its due time (sent only inside the 24-hour window). */
  missed: (checklist: string, machine: string): string =>
    `⏰ Your checklist "${checklist}" for ${machine} was due and has been closed, so no need to answer it any more. Thank you.`,
  /** A scheduled checklist missed while still queued (never started); `due` read when the line is sent (`dueBy`). */
  missedQueued: (names: ChecklistNames, due: DueMoment): string =>
    `⏰ Your checklist "${names.template}" for ${names.machine} was due at ${dueBy(due)} and was not started: it is marked missed. Your manager can send it again.`,
  forPreviousChecklist: (photo = false): string =>
    photo
      ? '↩️ That photo was sent before this checklist started, so it was not kept here. Please send it again with your answer:'
      : '↩️ That message was sent before this checklist started, so it was not saved here. Please answer again:',
  // Read-time rule and quoted replies (docs/decisions/0007-question-read-time.md): one line, then the prompt.
  sentBeforeQuestion: (photo = false): string =>
    photo
      ? '⏳ That photo came before you could read this question, so it was not kept. Please send it again with your answer:'
      : '⏳ That message came before you could read this question, so it was not taken as an answer. Please answer again:',
  quotedOtherChecklist: (): string =>
    '↩️ That reply quotes a message of another checklist, so it was not saved in this one.',
  quotedAnswerChanged: (n: number): string => `✏️ Your answer to question ${n} was changed.`,
  quotedNotAnAnswer: (n: number): string =>
    `🤔 To change your answer to question ${n}, reply to it with OK, NOT OK - what is wrong, or NA. Nothing was changed.`,
  expiredNoSession: (): string =>
    '👋 Your last checklist expired before it was submitted, so this message was not saved. Your manager can send it again.',
  reminder: (): string => '⏰ Reminder: your checklist is still waiting for your answer.',
  notOkAlert: (machine: string, checklist: string, failed: Array<{ task: string; remarks: string | null }>): string =>
    [
      `⚠️ ${machine}: checklist "${checklist}" was submitted with ${failed.length} NOT OK:`,
      ...failed.map((f, i) => `${i + 1}. ${f.task}${shownRemark(f.remarks)}`),
    ].join('\n'),
};

export type Messages = typeof messagesEn;

/** What waits after a submitted checklist: the operator's queued assignments, the oldest first. */
export interface QueueAhead {
  /** How many are queued (pending, not expired). */
  waiting: number;
  /** The oldest, which starts now unless WhatsApp is switched off. */
  next: ChecklistNames | null;
  /** The oldest is a checklist the manager sent back (a rework), not a new assignment. */
  nextIsRework?: boolean;
  startsNow: boolean;
}
