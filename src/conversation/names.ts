import { eq } from 'drizzle-orm';
import type { Executor } from '../lib/db/transaction.js';
import { checklistTemplates, machines } from '../lib/db/schema.js';

/** The checklist and machine names the operator recognises, for messages. */
export async function namesOf(exec: Executor, templateId: number, machineId: number) {
  const [t] = await exec
    .select({ name: checklistTemplates.name })
    .from(checklistTemplates)
    .where(eq(checklistTemplates.id, templateId));
  const [m] = await exec.select({ name: machines.name }).from(machines).where(eq(machines.id, machineId));
  return { template: t?.name ?? 'checklist', machine: m?.name ?? 'the machine' };
}
