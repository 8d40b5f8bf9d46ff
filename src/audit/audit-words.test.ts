import { describe, expect, it } from 'vitest';
import { describeAction } from './audit-words.js';

describe('an audit event in words', () => {
  it.each([
    ['assignment.created', {}, 'Assigned the checklist'],
    ['assignment.cancelled', {}, 'Cancelled the checklist'],
    ['assignment.restarted', {}, 'Restarted the checklist'],
    ['submission.reviewed', {}, 'Marked the submission as reviewed'],
    ['submission.rejected', { note: 'photo blurred' }, 'Rejected the submission: “photo blurred”'],
    ['action.created', { position: 2 }, 'Opened a corrective action for task 2'],
    [
      'submission.rework_requested',
      { note: 'redo', tasks: [2, 3], taskTexts: ['Oil temperature', 'Guard'] },
      'Sent task 2 (Oil temperature) and task 3 (Guard) back for rework: “redo”',
    ],
    // An event recorded before the texts were kept: its numbers alone.
    ['submission.rework_requested', { note: 'redo', tasks: [2] }, 'Sent task 2 back for rework: “redo”'],
    [
      'submission.rework_confirmed',
      { tasks: [2], results: ['NOT_OK'] },
      'Answered task 2 again on WhatsApp and confirmed: NOT OK',
    ],
    [
      'action.status_changed',
      { position: 2, to: 'wont_fix', note: 'machine retired' },
      "Set the action for task 2 to Won't fix with the note “machine retired”",
    ],
    ['action.status_changed', { position: 1, to: 'in_progress' }, 'Set the action for task 1 to In progress'],
    ['action.owner_changed', { position: 3, to: 'Meena' }, 'Gave the action for task 3 to Meena'],
    ['action.owner_changed', { position: 3, to: null }, 'Took the owner off the action for task 3'],
    ['action.due_changed', { position: 1, to: '2026-12-24' }, 'Set the action for task 1 due on 2026-12-24'],
    [
      'schedule.created',
      {
        checklist: 'Daily check',
        machine: 'Press A',
        operator: 'Asha',
        when: 'Mon to Fri at 06:00 (UTC), 2 hours to finish',
      },
      'Made a schedule: Daily check on Press A for Asha, Mon to Fri at 06:00 (UTC), 2 hours to finish',
    ],
    [
      'schedule.changed',
      { when: 'Every day at 22:00 (UTC), 1 hour to finish' },
      'Changed the schedule: Every day at 22:00 (UTC), 1 hour to finish',
    ],
    ['schedule.paused', {}, 'Paused the schedule'],
    ['schedule.resumed', {}, 'Resumed the schedule'],
    ['action.closed_by_rework', { position: 2 }, 'Closed the action for task 2: the reworked answer came back OK'],
    [
      'account.created',
      { account: 'Sunil (s@k.test)', role: 'supervisor' },
      'Added the account of Sunil (s@k.test) as a supervisor',
    ],
    [
      'account.disabled',
      { account: 'Lata (l@k.test)' },
      'Disabled the account of Lata (l@k.test) (signed out at once)',
    ],
    ['account.enabled', { account: 'Lata (l@k.test)' }, 'Enabled the account of Lata (l@k.test) again'],
    ['account.password_reset', { account: 'Lata (l@k.test)' }, 'Set a one-time password for Lata (l@k.test)'],
    [
      'account.password_reset',
      { account: 'Admin (a@k.test)', enabledAgain: true },
      'Set a one-time password for Admin (a@k.test) and enabled the account again',
    ],
    ['account.password_changed', { oneTime: true }, 'Replaced their one-time password with their own'],
    [
      'account.unlocked',
      { address: '10.0.0.7', email: 'l@k.test' },
      'Unlocked sign-in as l@k.test from the address 10.0.0.7',
    ],
    ['account.unlocked', { address: '10.0.0.7' }, 'Unlocked sign-in from the address 10.0.0.7'],
  ])('when the action is %s with %j, then it reads "%s"', (action, details, words) => {
    expect(describeAction(action, details)).toBe(words);
  });

  it.each([
    ['user.disabled', 'User disabled'],
    ['user.password_reset', 'User password reset'],
  ])('when the action %s has no sentence yet, then it reads as words, not a dotted name: "%s"', (action, words) => {
    expect(describeAction(action, {})).toBe(words);
  });
});
