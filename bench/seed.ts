// Creates what the operators answer through the REST API, as a manager would.

export interface Api {
  post<T>(path: string, body: object): Promise<T>;
}

export function restApi(baseUrl: string, apiToken: string): Api {
  return {
    async post<T>(path: string, body: object): Promise<T> {
      const res = await fetch(`${baseUrl}/api${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json: unknown = await res.json();
      if (res.status !== 201) throw new Error(`POST /api${path} answered ${res.status}: ${JSON.stringify(json)}`);
      return json as T;
    },
  };
}

export const TASKS = [
  'Check oil level',
  'Check belt tension',
  'Clean filter',
  'Check emergency stop',
  'Check guard doors',
];

export async function createTemplateAndMachine(api: Api): Promise<{ templateId: number; machineId: number }> {
  const template = await api.post<{ id: number }>('/templates', {
    name: 'Daily press check',
    tasks: TASKS.map((text) => ({ text })),
  });
  const machine = await api.post<{ id: number }>('/machines', { name: 'Press 7', code: 'BENCH-PRESS-7' });
  return { templateId: template.id, machineId: machine.id };
}

/** Runs `fn` over `items`, `width` at a time. */
async function eachLimited<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

/**
 * K operators (phones +9197<phase><7 digits>, distinct per phase), each with `checklists` assignments:
 * the first starts at once (Question 1 goes out), the rest queue behind it and start on CONFIRM.
 */
export async function createOperators(
  api: Api,
  opts: { phase: number; k: number; checklists: number; templateId: number; machineId: number },
): Promise<string[]> {
  const phones = Array.from({ length: opts.k }, (_, i) => `+9197${opts.phase}${String(i).padStart(7, '0')}`);
  const operatorIds = new Map<string, number>();
  await eachLimited(phones, 8, async (phone) => {
    const op = await api.post<{ id: number }>('/operators', {
      name: `Operator ${phone.slice(-4)}`,
      phoneNumber: phone,
    });
    operatorIds.set(phone, op.id);
  });
  // Round by round, so every operator's first assignment exists before anyone's second.
  for (let round = 0; round < opts.checklists; round++) {
    await eachLimited(phones, 8, async (phone) => {
      await api.post('/assignments', {
        templateId: opts.templateId,
        machineId: opts.machineId,
        operatorId: operatorIds.get(phone),
      });
    });
  }
  return phones;
}
