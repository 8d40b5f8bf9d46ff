import { typeOf, type TaskDefinition } from '../conversation/task-definitions.js';

/** The example value of a reading: the middle of its limits, else a plain number. */
const exampleValue = (t: TaskDefinition): string => {
  if (t.min != null && t.max != null) return String((t.min + t.max) / 2);
  if (t.max != null) return String(t.max);
  if (t.min != null) return String(t.min);
  return '6.5';
};

const limits = (t: TaskDefinition): string => {
  if (t.min != null && t.max != null) return ` (${t.min} to ${t.max})`;
  if (t.min != null) return ` (at least ${t.min})`;
  if (t.max != null) return ` (at most ${t.max})`;
  return '';
};

const CONFIRM = 'At the end, send CONFIRM.';

/**
 * The help line under the simulator's chat: what to type for the question the operator is on now (issue 16), so
 * a reading does not say "OK, NOT OK or NA". `task`: the current question, null when none is open (no checklist,
 * or the summary), which gets the usual line.
 */
export function answerHint(task: TaskDefinition | null): string {
  const na = task && (task.allowNa ?? true);
  switch (task ? typeOf(task) : 'check') {
    case 'number': {
      const t = task!;
      const v = exampleValue(t);
      const unit = t.unit ? ` in ${t.unit}` : '';
      return `Type the value${unit}${limits(t)}, e.g. “${v}” or “${v} - gauge looks stuck”${na ? ', or NA if it cannot be read' : ''}. ${CONFIRM}`;
    }
    case 'choice':
      return `Tap an option, or type its number or its label${na ? ' (or NA)' : ''}. ${CONFIRM}`;
    case 'text':
      return `Type your answer as text, e.g. a serial number${na ? ', or NA' : ''}. ${CONFIRM}`;
    default:
      return `Answer with OK, NOT OK or NA and a remark, e.g. “NOT OK - what is wrong”, or tap a button. ${CONFIRM}`;
  }
}
