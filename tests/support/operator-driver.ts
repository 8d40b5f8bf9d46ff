import { expect } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import type { FakeGraphApi } from './fake-graph-api.js';
import { messagesDelivery, textMessage } from './meta-payloads.js';
import type { MetaSender } from './meta-sender.js';

export interface DrivenOperator {
  phone: string;
  tasks: string[];
  /** The remarks this operator sent, in question order. */
  remarks: string[];
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The exact texts an operator reads, in order, for a checklist answered with plain text and CONFIRM.
 * Question 1 is followed by one line naming its machine and checklist (whichever they are).
 */
export function expectedTranscript(tasks: string[]): Array<string | RegExp> {
  return [
    new RegExp(`^${escaped(messagesEn.question(1, tasks.length, tasks[0]!))}\\n🛠 [^\\n]+ · [^\\n]+$`, 'u'),
    ...tasks.slice(1).map((t, i) => messagesEn.question(i + 2, tasks.length, t)),
    new RegExp(`^✅ ${tasks.length === 1 ? 'The question is' : `All ${tasks.length} questions`} answered\\. Summary:`),
    // The thank-you starts with this sentence and names the checklist (issue 14 item 17).
    new RegExp(`^${escaped(messagesEn.completed())}\\n`, 'u'),
  ];
}

/** The phone read exactly that transcript: each text once, in order. */
export function expectTranscript(texts: string[], tasks: string[]): void {
  expect(texts).toEqual(
    expectedTranscript(tasks).map((e): unknown => (typeof e === 'string' ? e : expect.stringMatching(e))),
  );
}

async function waitForText(
  graph: FakeGraphApi,
  phone: string,
  expected: string | RegExp,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const matches = (t: string) => (typeof expected === 'string' ? t === expected : expected.test(t));
  while (!graph.textsTo(phone).some(matches)) {
    if (Date.now() >= deadline) {
      throw new Error(
        `${phone} never received ${String(expected).slice(0, 60)}; got:\n${graph
          .textsTo(phone)
          .map((t) => `  ${t.split('\n')[0]}`)
          .join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Plays one operator as a person would: reads each question, then answers it ("OK - <remark>"),
 * and CONFIRMs at the summary. `before(step)` may hold a step back (step 0 is the first answer,
 * `tasks.length` is CONFIRM). Deliveries go through the Meta-like sender, which retries them.
 */
export async function driveOperator(
  op: DrivenOperator,
  deps: { graph: FakeGraphApi; sender: MetaSender; before?: (step: number) => Promise<void>; timeoutMs?: number },
): Promise<void> {
  const transcript = expectedTranscript(op.tasks);
  const timeoutMs = deps.timeoutMs ?? 30_000;
  for (let step = 0; step <= op.tasks.length; step++) {
    await waitForText(deps.graph, op.phone, transcript[step]!, timeoutMs);
    await deps.before?.(step);
    const body = step < op.tasks.length ? `OK - ${op.remarks[step]}` : 'CONFIRM';
    void deps.sender.deliver(messagesDelivery([textMessage(op.phone, body)]), `${op.phone} step ${step}`);
  }
  await waitForText(deps.graph, op.phone, transcript[op.tasks.length + 1]!, timeoutMs);
}
