import { describe, expect, it } from 'vitest';
import type { RequeueGroup } from '../../src/outbox/outbox-repository.js';
import { formatResendReport, maskPhone, parseResendArgs, parseSince } from '../../src/outbox/outbox-resend.js';

const NOW = new Date('2026-11-25T12:00:00Z');

describe('outbox:resend arguments', () => {
  it.each([
    ['30m', 30 * 60_000],
    ['2h', 2 * 3_600_000],
    ['3d', 3 * 86_400_000],
  ])('when --since is %s, then the cut-off is %i ms back', (value, ms) => {
    expect(parseSince(value, NOW)?.getTime()).toBe(NOW.getTime() - ms);
  });

  it('when every option is given, then they are parsed and the phone is normalised', () => {
    expect(parseResendArgs(['--since', '2h', '--code', '190', '--phone', '+91 98123 45678', '--dry-run'], NOW)).toEqual(
      {
        ok: true,
        options: { since: new Date(NOW.getTime() - 2 * 3_600_000), code: 190, phone: '+919812345678', dryRun: true },
      },
    );
  });

  it.each([
    [[], /--since is required/],
    [['--since', 'banana'], /--since banana/],
    [['--since', '2'], /--since 2/],
    [['--since', '0h'], /--since 0h/],
    [['--since', '1y'], /--since 1y/],
    [['--since', '2h', '--code', 'abc'], /--code abc/],
    [['--since', '2h', '--phone', '12'], /--phone 12/],
    [['--since', '2h', '--phone', '98123 45678'], /--phone 98123 45678: not a phone number with its country code/],
    [['--since', '2h', '--force'], /--force/],
    [['--since', '2h', 'extra'], /extra/],
  ])('when the arguments are %j, then they are refused with the reason', (argv, reason) => {
    const parsed = parseResendArgs(argv, NOW);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toMatch(reason);
  });
});

describe('outbox:resend report', () => {
  const groups: RequeueGroup[] = [
    { phoneNumber: '+919812345678', errorCode: 190, outcome: 'requeued', count: 3 },
    { phoneNumber: '+919812345678', errorCode: 131047, outcome: 'requeued', count: 1 },
    { phoneNumber: '+447700900123', errorCode: 190, outcome: 'requeued', count: 2 },
    { phoneNumber: '+447700900123', errorCode: 190, outcome: 'later_message', count: 4 },
    { phoneNumber: '+919800000001', errorCode: null, outcome: 'session_ended', count: 1 },
  ];
  const options = { since: NOW, code: null, phone: null, dryRun: false, embedded: false };

  it('when a phone number is masked, then only its last 4 digits show', () => {
    expect(maskPhone('+919812345678')).toBe('+********5678');
  });

  it('when messages were requeued, then it counts them per masked phone and per code, says why others were skipped, and ends with when they go out', () => {
    const text = formatResendReport(groups, options).join('\n');

    expect(text).toMatch(/^Requeued 6 failed message\(s\) created since 2026-11-25T12:00:00.000Z$/m);
    expect(text).toMatch(/\+\*{8}5678 {2}4$/m);
    expect(text).toMatch(/\+\*{8}0123 {2}2$/m);
    expect(text).toMatch(/^ {4}190 {2}5$/m);
    expect(text).toMatch(/^ {4}131047 {2}1$/m);
    expect(text).toMatch(/^Skipped 4: a later message to the same phone/m);
    expect(text).toMatch(/^Skipped 1: its conversation has ended/m);
    expect(text).not.toMatch(/9812345678|7700900123|9800000001/);
    expect(text.split('\n').at(-1)).toMatch(/running server sends them within a few seconds.*pm2 start/);
  });

  it('when it is a dry run, then it says what would be requeued and that nothing changed', () => {
    const lines = formatResendReport(groups, { ...options, dryRun: true });

    expect(lines[0]).toMatch(/^Would requeue 6 /);
    expect(lines.at(-1)).toMatch(/^Dry run: nothing was changed/);
  });
});
