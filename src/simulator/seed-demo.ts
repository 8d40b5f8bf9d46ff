import type { Db } from '../lib/db/client.js';
import { withTransaction } from '../lib/db/transaction.js';
import type { Logger } from '../lib/logger.js';
import { countCatalogue, insertMachine, insertOperator, insertTemplate } from '../checklists/checklists-repository.js';
import { lockDemoSeed } from './simulator-repository.js';

export const DEMO = {
  operator: { name: 'Demo Operator', phoneNumber: '+15550001234' },
  machine: { name: 'Press 7', code: 'PRESS-7' },
  template: {
    name: 'Daily press check',
    tasks: [
      { text: 'Check oil level', requiresPhoto: false },
      { text: 'Check hydraulic hoses for leaks', requiresPhoto: true },
      { text: 'Check emergency stop', requiresPhoto: false },
      { text: 'Clean the work area', requiresPhoto: false },
    ],
  },
  // A second checklist shows the typed questions: readings with limits, a choice and free text.
  readings: {
    name: 'Hydraulic unit readings',
    tasks: [
      { text: 'Hydraulic pressure', type: 'number', unit: 'bar', min: 5, max: 8, decimals: 1 },
      { text: 'Oil temperature', type: 'number', unit: '°C', max: 60 },
      {
        text: 'Condition of the guard',
        type: 'choice',
        options: [{ label: 'Clean' }, { label: 'Dirty' }, { label: 'Damaged', fails: true }],
      },
      { text: 'Hour meter reading', type: 'text' },
    ],
  },
} as const;

export interface SeededDemo {
  operatorId: number;
  machineId: number;
  templateId: number;
  readingsTemplateId: number;
}

/**
 * Gives a newcomer something to play with in the simulator: a demo operator, machine and checklist,
 * only when operators, machines and checklist templates are all empty. Idempotent: returns null when it did nothing.
 */
export async function seedDemoData(db: Db, logger: Logger): Promise<SeededDemo | null> {
  const log = logger.child({ component: 'seed' });
  const seeded = await withTransaction(db, async (tx) => {
    await lockDemoSeed(tx);
    const counts = await countCatalogue(tx);
    if (!counts || counts.operators + counts.machines + counts.templates > 0) return null;
    const operator = await insertOperator(tx, { ...DEMO.operator });
    const machine = await insertMachine(tx, { ...DEMO.machine });
    const template = await insertTemplate(tx, {
      name: DEMO.template.name,
      tasks: DEMO.template.tasks.map((t) => ({ ...t })),
    });
    const readings = await insertTemplate(tx, {
      name: DEMO.readings.name,
      tasks: DEMO.readings.tasks.map((t) => ({
        ...t,
        options: 'options' in t ? t.options.map((o) => ({ ...o })) : undefined,
      })),
    });
    return { operatorId: operator.id, machineId: machine.id, templateId: template.id, readingsTemplateId: readings.id };
  });
  if (!seeded) {
    log.debug('[SEED] Operators, machines or checklists exist already; no demo data added');
    return null;
  }
  log.info(
    { ...seeded, phoneNumber: DEMO.operator.phoneNumber, tasks: DEMO.template.tasks.length },
    `[SEED] Demo data created: operator "${DEMO.operator.name}" (${DEMO.operator.phoneNumber}), machine "${DEMO.machine.name}" (${DEMO.machine.code}), checklists "${DEMO.template.name}" (${DEMO.template.tasks.length} tasks) and "${DEMO.readings.name}" (readings, a choice, text). Open /simulator to play the operator.`,
  );
  return seeded;
}
