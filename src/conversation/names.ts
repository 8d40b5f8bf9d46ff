import type { Executor } from '../lib/db/transaction.js';
import { findNames } from '../checklists/checklists-repository.js';

/** The checklist and machine names the operator recognises, for messages. */
export async function namesOf(exec: Executor, templateId: number, machineId: number) {
  const { template, machine } = await findNames(exec, templateId, machineId);
  return { template: template ?? 'checklist', machine: machine ?? 'the machine' };
}
