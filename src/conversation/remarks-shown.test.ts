import { describe, expect, it } from 'vitest';
import { alertTemplateParameters } from './alerts.js';
import { editListRows } from './buttons.js';
import type { Answer } from './conversation-types.js';
import { messagesEn } from './messages.en.js';

// The stored remark keeps what the operator sent; what WhatsApp shows (the summary, the NOT OK alert to
// managers, the Edit list) drops the bidi controls that would reorder the rest of the message.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const remarks = 'leak at \u202Eevlav\u202C pump \u2067x\u2069';
const answer: Answer = { taskIndex: 0, taskId: 1, status: 'NOT_OK', remarks, photo: null, answeredAt: '' };

describe('remarks shown on WhatsApp', () => {
  it('when a remark holds bidi overrides and isolates, then the summary line and the earlier answer show it without them', () => {
    expect(messagesEn.answerDescription(answer)).toBe('NOT OK - leak at evlav pump x');
    expect(messagesEn.earlierAnswer(answer)).not.toMatch(BIDI);
  });

  it('when a NOT OK remark holds them, then the alert text and the alert template parameters go without them', () => {
    const failed = [{ task: 'Check oil level', remarks }];

    expect(messagesEn.notOkAlert('Press 7', 'Daily', failed)).toContain('1. Check oil level - leak at evlav pump x');
    expect(alertTemplateParameters({ machine: 'Press 7', template: 'Daily' }, failed)[3]).toBe(
      'Check oil level - leak at evlav pump x',
    );
  });

  it('when the Edit list shows the answer, then its row goes without them', () => {
    const [row] = editListRows('s1', [{ id: 1, text: 'Check oil', requiresPhoto: false }], [answer], messagesEn);

    expect(row!.description).not.toMatch(BIDI);
  });
});
