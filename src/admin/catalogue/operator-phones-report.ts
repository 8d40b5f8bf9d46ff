import type { OperatorPhone, PhonePlan } from '../../checklists/phone-fixes.js';
import type { PhoneNormalisation } from './operator-phones.js';

export const PHONES_USAGE = [
  'Usage: npm run operators:phones [-- --dry-run]',
  "  Rewrites operators' numbers in E.164 as libphonenumber writes them (trunk prefixes dropped), with their",
  '  running checklist and unsent messages; lists the numbers it cannot fix.',
  '  --dry-run  show what would change, change nothing',
].join('\n');

const who = (o: OperatorPhone) => `${o.name} (operator ${o.id}): ${o.phoneNumber}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What `npm run operators:phones` prints: what changed (or would), then what a person has to decide. */
export function formatPhonesReport(result: PhonePlan | PhoneNormalisation, dryRun: boolean): string[] {
  const lines: string[] = [];
  if ('done' in result) {
    if (result.done.length > 0) lines.push(`Rewrote ${plural(result.done.length, 'number')}:`);
    for (const d of result.done) {
      const moved = [
        d.sessions > 0 ? 'its running checklist' : '',
        d.outboxMoved > 0 ? plural(d.outboxMoved, 'unsent message') : '',
      ].filter(Boolean);
      const left =
        d.outboxLeft > 0
          ? `; ${plural(d.outboxLeft, 'unsent message')} left on the old number (one was being sent)`
          : '';
      lines.push(`  ${who(d.operator)} -> ${d.to}${moved.length ? ` (with ${moved.join(' and ')})` : ''}${left}`);
    }
    for (const f of result.skipped) lines.push(`  ${who(f.operator)}: changed meanwhile, not rewritten; run again`);
  } else {
    if (result.fixes.length > 0) lines.push(`Would rewrite ${plural(result.fixes.length, 'number')} (--dry-run):`);
    for (const f of result.fixes) lines.push(`  ${who(f.operator)} -> ${f.to}`);
  }
  for (const c of result.clashes) {
    lines.push(
      `Left as they are: ${plural(c.operators.length, 'operator')} with one number, ${c.number}, written differently:`,
    );
    for (const o of c.operators) lines.push(`  ${who(o)}`);
    lines.push(
      '  Change the number of the one who does not use that phone (Operators page, Edit), then run this again.',
    );
  }
  if (result.unrecognised.length > 0) {
    lines.push('Left as they are: no phone number in use has these digits (check them on the Operators page):');
    for (const o of result.unrecognised) lines.push(`  ${who(o)}`);
  }
  const nothing = 'done' in result ? result.done.length + result.skipped.length === 0 : result.fixes.length === 0;
  if (nothing && result.clashes.length === 0)
    lines.push(dryRun ? 'Nothing to rewrite.' : 'Nothing to rewrite: every number is already in E.164.');
  return lines;
}
