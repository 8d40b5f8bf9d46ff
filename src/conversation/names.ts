import type { Executor } from '../lib/db/transaction.js';
import { findNames } from '../checklists/checklists-repository.js';

/** What messages call a checklist or machine whose name is gone (deleted). */
export const NO_NAMES = { template: 'checklist', machine: 'the machine' } as const;

/** The checklist and machine names the operator recognises, for messages. */
export async function namesOf(exec: Executor, templateId: number, machineId: number) {
  const { template, machine } = await findNames(exec, templateId, machineId);
  return { template: template ?? NO_NAMES.template, machine: machine ?? NO_NAMES.machine };
}
