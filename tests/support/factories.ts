import { expect } from 'vitest';
import type { Harness } from './harness.js';

let n = 0;
/** A unique E.164 number per call (Indian mobile range, as the operators use). */
export const newPhone = () => `+9198${String(Date.now() % 1e6).padStart(6, '0')}${String(n++ % 100).padStart(2, '0')}`;

export async function createOperator(h: Harness, overrides: { name?: string; phoneNumber?: string } = {}) {
  const res = await h.api.post('/api/operators', {
    name: overrides.name ?? 'Ravi',
    phoneNumber: overrides.phoneNumber ?? newPhone(),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; name: string; phoneNumber: string };
}

export async function createMachine(h: Harness, overrides: { name?: string; code?: string } = {}) {
  const res = await h.api.post('/api/machines', {
    name: overrides.name ?? 'Press 7',
    code: overrides.code ?? `M-${n++}-${Date.now()}`,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; name: string; code: string };
}

export async function createTemplate(
  h: Harness,
  tasks: string[] = ['Check oil level', 'Check belt tension', 'Clean filter'],
) {
  const res = await h.api.post('/api/templates', { name: 'Daily press check', tasks: tasks.map((text) => ({ text })) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; name: string; tasks: { id: number; text: string }[] };
}

/** An operator with a started assignment on a fresh template and machine. */
export async function assignChecklist(h: Harness, tasks?: string[]) {
  const [operator, machine, template] = await Promise.all([
    createOperator(h),
    createMachine(h),
    createTemplate(h, tasks),
  ]);
  const res = await h.api.post('/api/assignments', {
    templateId: template.id,
    machineId: machine.id,
    operatorId: operator.id,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { operator, machine, template, assignment: res.body as { id: string; status: string; submissionId: string } };
}
