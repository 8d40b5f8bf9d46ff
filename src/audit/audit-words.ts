/** An audit event as the submission and account pages show it: in words, never the stored action name. */
export interface EventInWords {
  at: Date;
  who: string;
  what: string;
}

type Details = Record<string, unknown>;

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const STATUS_WORDS: Record<string, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  wont_fix: "Won't fix",
};
/** An action's status in words (shared with the action pages). */
export const actionStatusWords = (status: unknown): string => STATUS_WORDS[text(status)] ?? text(status);
const ROLE_WORDS: Record<string, string> = { admin: 'an admin', manager: 'a manager', supervisor: 'a supervisor' };
const roleWord = (role: unknown): string => ROLE_WORDS[text(role)] ?? text(role);
const task = (d: Details) => (d.position ? `task ${text(d.position)}` : 'a task');
const scheduleOf = (d: Details) =>
  text(d.checklist) ? `: ${text(d.checklist)} on ${text(d.machine)} for ${text(d.operator)}, ${text(d.when)}` : '';
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** "task 2 (Oil temperature) and task 3 (Guard)" from a rework's details; "tasks" when none are named. */
const sentTasks = (d: Details): string => {
  const positions = list(d.tasks).map(text);
  const texts = list(d.taskTexts).map(text);
  if (positions.length === 0) return 'tasks';
  const named = positions.map((p, i) => (texts[i] ? `task ${p} (${texts[i]})` : `task ${p}`));
  return named.length === 1 ? named[0]! : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
};
const RESULT_WORDS: Record<string, string> = { OK: 'OK', NOT_OK: 'NOT OK', NA: 'NA' };
/** ": OK, NOT OK" from a confirmed rework's results, in its tasks' order. */
const results = (d: Details): string => {
  const r = list(d.results).map((x) => RESULT_WORDS[text(x)] ?? text(x));
  return r.length === 0 ? '' : `: ${r.join(', ')}`;
};
const withNote = (d: Details, lead = ': ') => (text(d.note) ? `${lead}“${text(d.note)}”` : '');

const SENTENCES: Record<string, (d: Details) => string> = {
  'assignment.created': () => 'Assigned the checklist',
  'assignment.started': () => 'Started the checklist on WhatsApp',
  'assignment.cancelled': () => 'Cancelled the checklist',
  'assignment.restarted': () => 'Restarted the checklist',
  'submission.reviewed': () => 'Marked the submission as reviewed',
  'submission.approved': (d) => `Approved the submission${withNote(d)}`,
  'submission.rejected': (d) => `Rejected the submission${withNote(d)}`,
  'submission.rework_requested': (d) => `Sent ${sentTasks(d)} back for rework${withNote(d)}`,
  'submission.rework_confirmed': (d) => `Answered ${sentTasks(d)} again on WhatsApp and confirmed${results(d)}`,
  'submission.rework_cancelled': () => 'Cancelled the rework',
  'action.created': (d) => `Opened a corrective action for ${task(d)}`,
  'action.status_changed': (d) =>
    `Set the action for ${task(d)} to ${actionStatusWords(d.to)}${withNote(d, ' with the note ')}`,
  'action.owner_changed': (d) =>
    `${text(d.to) ? `Gave the action for ${task(d)} to ${text(d.to)}` : `Took the owner off the action for ${task(d)}`}`,
  'action.due_changed': (d) =>
    text(d.to)
      ? `Set the action for ${task(d)} due on ${text(d.to)}`
      : `Removed the due date of the action for ${task(d)}`,
  'action.note_changed': (d) => `Changed the note of the action for ${task(d)}${withNote(d)}`,
  'action.closing_photo_added': (d) => `Added a closing photo to the action for ${task(d)}`,
  'action.closed_by_rework': (d) => `Closed the action for ${task(d)}: the reworked answer came back OK`,
  'schedule.created': (d) => `Made a schedule${scheduleOf(d)}`,
  'schedule.changed': (d) => `Changed the schedule${text(d.when) ? `: ${text(d.when)}` : ''}`,
  'schedule.paused': () => 'Paused the schedule',
  'schedule.resumed': () => 'Resumed the schedule',
  'schedule.deleted': (d) => `Deleted the schedule${scheduleOf(d)}`,
  'account.created': (d) => `Added the account of ${text(d.account)}${d.role ? ` as ${roleWord(d.role)}` : ''}`,
  'account.disabled': (d) => `Disabled the account of ${text(d.account)} (signed out at once)`,
  'account.enabled': (d) => `Enabled the account of ${text(d.account)} again`,
  'account.password_reset': (d) =>
    `Set a one-time password for ${text(d.account)}${d.enabledAgain ? ' and enabled the account again' : ''}`,
  'account.password_changed': (d) =>
    d.oneTime ? 'Replaced their one-time password with their own' : 'Changed their own password',
  'account.unlocked': (d) =>
    `Unlocked sign-in ${text(d.email) ? `as ${text(d.email)} ` : ''}from the address ${text(d.address)}`,
};

/** One event's sentence; an action this list does not know yet reads as its words, never as a dotted name. */
export function describeAction(action: string, details: Details): string {
  const sentence = SENTENCES[action];
  if (sentence) return sentence(details);
  const words = action.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Events as the pages list them. */
export function inWords(events: { at: Date; actorLabel: string; action: string; details: Details }[]): EventInWords[] {
  return events.map((e) => ({ at: e.at, who: e.actorLabel, what: describeAction(e.action, e.details) }));
}
