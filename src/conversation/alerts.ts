import { phonesInWindow } from '../outbox/outbox-repository.js';
import type { Executor } from '../lib/db/transaction.js';
import type { OutboxItem } from '../outbox/outbox-messages.js';
import { SHOWN_REMARK_LENGTH, messagesEn } from './messages.en.js';
import { firstCharacters, singleLine } from './single-line.js';

/** A Meta-approved Utility template for NOT OK alerts (WHATSAPP_ALERT_TEMPLATE), in WHATSAPP_TEMPLATE_LANGUAGE. */
export interface AlertTemplate {
  name: string;
  language: string;
}

export interface AlertDeps {
  /** E.164 numbers (ALERT_PHONE_NUMBERS) alerted when a checklist with NOT OK answers is confirmed. */
  alertPhoneNumbers: string[];
  /** Sent to an alert number outside the 24-hour window; null: the text goes anyway (Meta refuses it, 131047). */
  alertTemplate: AlertTemplate | null;
}

export interface FailedTask {
  task: string;
  remarks: string | null;
}

export interface AlertNames {
  machine: string;
  template: string;
}

// Meta refuses a template parameter with a newline, a tab or more than 4 spaces in a row, and the
// whole body must stay under 1024 characters: the names and the list are kept well below that.
const MAX_NAME = 60;
const MAX_LIST = 600;

/**
 * The template's body parameters, in order: {{1}} machine, {{2}} checklist, {{3}} how many NOT OK,
 * {{4}} the NOT OK tasks with their remarks ("Check oil level - oil low; Clean filter").
 */
export function alertTemplateParameters(names: AlertNames, failed: FailedTask[]): string[] {
  return [
    singleLine(names.machine, MAX_NAME),
    singleLine(names.template, MAX_NAME),
    String(failed.length),
    singleLine(notOkList(failed), MAX_LIST),
  ];
}

/**
 * "task - remarks; task" for the NOT OK tasks, stopping once it is longer than MAX_LIST code points: the
 * rest would be cut away, and building it for 100 tasks with long remarks only costs time.
 */
function notOkList(failed: FailedTask[]): string {
  const parts: string[] = [];
  let points = -2;
  for (const f of failed) {
    if (points > MAX_LIST) break;
    const remark = f.remarks === null ? null : firstCharacters(f.remarks, SHOWN_REMARK_LENGTH);
    const part = singleLine(remark === null ? f.task : `${f.task} - ${remark}`, MAX_LIST);
    parts.push(part);
    points += 2 + Array.from(part).length;
  }
  return parts.join('; ');
}

function templateItem(t: AlertTemplate, parameters: string[]): OutboxItem {
  return {
    kind: 'raw',
    message: {
      type: 'template',
      template: {
        name: t.name,
        language: { code: t.language },
        components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }],
      },
    },
  };
}

/**
 * The NOT OK alert for each alert number: the free-form text to a number inside the 24-hour window,
 * the template to one outside it (when configured; else the text, which Meta refuses with 131047).
 * The text carries the template as its fallback: our record of the window can be wrong (the manager
 * wrote from another device, or the window closed before the send), and Meta's 131047 then sends the
 * template instead, once (decision 0009). Plain reads, inside the apply's locked transaction.
 */
export async function notOkAlerts(
  exec: Executor,
  deps: AlertDeps,
  names: AlertNames,
  failed: FailedTask[],
): Promise<{ phoneNumber: string; item: OutboxItem; fallback: OutboxItem | null }[]> {
  const text: OutboxItem = { kind: 'text', body: messagesEn.notOkAlert(names.machine, names.template, failed) };
  if (!deps.alertTemplate)
    return deps.alertPhoneNumbers.map((phoneNumber) => ({ phoneNumber, item: text, fallback: null }));
  const inWindow = await phonesInWindow(exec, deps.alertPhoneNumbers);
  const template = templateItem(deps.alertTemplate, alertTemplateParameters(names, failed));
  return deps.alertPhoneNumbers.map((phoneNumber) =>
    inWindow.has(phoneNumber)
      ? { phoneNumber, item: text, fallback: template }
      : { phoneNumber, item: template, fallback: null },
  );
}
