import { parseArgs } from 'node:util';
import { typedPhoneToE164 } from '../lib/phone.js';
import type { RequeueGroup } from './outbox-repository.js';

export const RESEND_USAGE = [
  'Usage: npm run outbox:resend -- --since 2h [--code 190] [--phone +919812345678] [--dry-run]',
  '  --since    failed messages created within this long ago (m = minutes, h = hours, d = days); required',
  '  --code     only those Meta refused with this error code',
  '  --phone    only those to this phone number',
  '  --dry-run  show what would be requeued, change nothing',
].join('\n');

export interface ResendOptions {
  since: Date;
  code: number | null;
  phone: string | null;
  dryRun: boolean;
}

export type ParsedResendArgs = { ok: true; options: ResendOptions } | { ok: false; error: string };

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "30m", "2h", "3d" -> that long before `now`. Unlike photos:prune's ages, "m" is minutes here. */
export function parseSince(value: string, now = new Date()): Date | null {
  const m = /^(\d{1,5})([mhd])$/.exec(value.trim());
  if (!m || Number(m[1]) === 0) return null;
  return new Date(now.getTime() - Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
}

/** The command line, checked; an error names the bad argument (the caller prints it with the usage). */
export function parseResendArgs(argv: string[], now = new Date()): ParsedResendArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        since: { type: 'string' },
        code: { type: 'string' },
        phone: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  if (values.since === undefined) return { ok: false, error: '--since is required' };
  const since = parseSince(values.since, now);
  if (!since) return { ok: false, error: `--since ${values.since}: not a duration like 30m, 2h or 3d` };
  let code: number | null = null;
  if (values.code !== undefined) {
    if (!/^\d{1,9}$/.test(values.code.trim()))
      return { ok: false, error: `--code ${values.code}: not a Meta error code (a number)` };
    code = Number(values.code);
  }
  let phone: string | null = null;
  if (values.phone !== undefined) {
    // Typed by a person: "98123 45678" without its +91 is refused, not read as +98 (matching nothing).
    const typed = typedPhoneToE164(values.phone);
    if (!typed.ok)
      return {
        ok: false,
        error: `--phone ${values.phone}: not a phone number with its country code (e.g. +919812345678)`,
      };
    phone = typed.e164;
  }
  return { ok: true, options: { since, code, phone, dryRun: values['dry-run'] } };
}

/** "+919812345678" -> "+********5678": enough to tell operators apart in a terminal or a ticket. */
export function maskPhone(phone: string): string {
  return phone.slice(0, -4).replace(/\d/g, '*') + phone.slice(-4);
}

const SKIPS = {
  later_message: 'a later message to the same phone was sent or is queued (ask the operator to send STATUS instead)',
  session_ended: 'its conversation has ended (cancel and re-assign the checklist if it is still needed)',
  changed: 'it changed while this ran (no longer failed)',
} as const;

function sums(groups: RequeueGroup[], key: (g: RequeueGroup) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const g of groups) m.set(key(g), (m.get(key(g)) ?? 0) + g.count);
  return [...m];
}

/**
 * What the command did, for a person: counts per phone (masked) and per error code, the skipped rows
 * and why, and when the messages go out. Never a message body.
 */
export function formatResendReport(groups: RequeueGroup[], o: ResendOptions & { embedded: boolean }): string[] {
  const requeued = groups.filter((g) => g.outcome === 'requeued');
  const total = requeued.reduce((n, g) => n + g.count, 0);
  const filter = [
    o.code === null ? '' : `, error code ${o.code}`,
    o.phone === null ? '' : `, phone ${maskPhone(o.phone)}`,
  ].join('');
  const lines = [
    `${o.dryRun ? 'Would requeue' : 'Requeued'} ${total} failed message(s) created since ${o.since.toISOString()}${filter}`,
  ];
  if (total > 0) {
    lines.push('  per phone:');
    for (const [phone, n] of sums(requeued, (g) => g.phoneNumber)) lines.push(`    ${maskPhone(phone)}  ${n}`);
    lines.push('  per error code:');
    for (const [code, n] of sums(requeued, (g) => String(g.errorCode ?? 'none (no answer from Meta)')))
      lines.push(`    ${code}  ${n}`);
  }
  for (const [reason, n] of sums(
    groups.filter((g) => g.outcome !== 'requeued'),
    (g) => g.outcome,
  )) {
    lines.push(`Skipped ${n}: ${SKIPS[reason as keyof typeof SKIPS]}`);
  }
  if (o.dryRun) lines.push('Dry run: nothing was changed. Run it again without --dry-run to requeue them.');
  else if (total === 0) lines.push('Nothing to send.');
  else if (o.embedded)
    lines.push(
      'They go out at the next `pm2 start kinto-app` (the embedded database serves one process, so no server runs now).',
    );
  else
    lines.push(
      'A running server sends them within a few seconds (its outbox worker polls every second); if none runs, at the next `pm2 start kinto-app`.',
    );
  return lines;
}
