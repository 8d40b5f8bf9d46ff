import type { Executor } from '../lib/db/transaction.js';
import { findMachineName, findTemplateName } from '../checklists/checklists-repository.js';

/** The checklist and machine names the operator recognises, for messages. */
export async function namesOf(exec: Executor, templateId: number, machineId: number) {
  const template = await findTemplateName(exec, templateId);
  const machine = await findMachineName(exec, machineId);
  return { template: template ?? 'checklist', machine: machine ?? 'the machine' };
}
