import { describe, expect, it } from 'vitest';
import { planPhoneFixes } from '../../src/checklists/phone-fixes.js';
import { formatPhonesReport } from '../../src/admin/catalogue/operator-phones-report.js';

const op = (id: number, phoneNumber: string) => ({ id, name: `Operator ${id}`, phoneNumber });

describe('planPhoneFixes (numbers stored by the hand parser)', () => {
  it.each([
    {
      when: 'a number keeps its trunk 0',
      operators: [op(1, '+4402079460958')],
      plan: { fixes: [{ operator: op(1, '+4402079460958'), to: '+442079460958' }], clashes: [], unrecognised: [] },
    },
    {
      when: 'every number is already E.164 as the library writes it',
      operators: [op(1, '+442079460958'), op(2, '+919812345678')],
      plan: { fixes: [], clashes: [], unrecognised: [] },
    },
    {
      when: 'two operators would end up with one number',
      operators: [op(1, '+9109812345678'), op(2, '+919812345678'), op(3, '+4402079460958')],
      plan: {
        fixes: [{ operator: op(3, '+4402079460958'), to: '+442079460958' }],
        clashes: [{ number: '+919812345678', operators: [op(1, '+9109812345678'), op(2, '+919812345678')] }],
        unrecognised: [],
      },
    },
    {
      when: 'a number is no number in use',
      operators: [op(1, '+15551234567')],
      plan: { fixes: [], clashes: [], unrecognised: [op(1, '+15551234567')] },
    },
  ])('when $when, then the plan says so', ({ operators, plan }) => {
    expect(planPhoneFixes(operators)).toEqual(plan);
  });
});

describe('formatPhonesReport (npm run operators:phones)', () => {
  it('when numbers were rewritten and a clash is left, then it says what moved and what a person must change', () => {
    const lines = formatPhonesReport(
      {
        fixes: [],
        clashes: [{ number: '+919812345678', operators: [op(1, '+9109812345678'), op(2, '+919812345678')] }],
        unrecognised: [],
        done: [{ operator: op(3, '+4402079460958'), to: '+442079460958', sessions: 1, outboxMoved: 2, outboxLeft: 0 }],
        skipped: [],
      },
      false,
    );

    expect(lines).toEqual([
      'Rewrote 1 number:',
      '  Operator 3 (operator 3): +4402079460958 -> +442079460958 (with its running checklist and 2 unsent messages)',
      'Left as they are: 2 operators with one number, +919812345678, written differently:',
      '  Operator 1 (operator 1): +9109812345678',
      '  Operator 2 (operator 2): +919812345678',
      '  Change the number of the one who does not use that phone (Operators page, Edit), then run this again.',
    ]);
  });

  it('when nothing needs a change, then it says so in one line', () => {
    expect(formatPhonesReport({ fixes: [], clashes: [], unrecognised: [] }, true)).toEqual(['Nothing to rewrite.']);
  });
});
