import type { RequestHandler } from 'express';
import { ForbiddenError } from '../../lib/errors.js';

/** The roles of an account (users.role); what each may do is in docs/roles.md, README.md (Roles) and decision 0018. */
export const ROLES = ['admin', 'manager', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** The roles in the manager's words (pages never show the stored value). */
export const ROLE_WORDS: Record<Role, string> = {
  admin: 'Admin',
  manager: 'Manager',
  supervisor: 'Supervisor',
};

/** What a role may do, in a line: the accounts page shows it beside the role picker. */
export const ROLE_SUMMARY: Record<Role, string> = {
  admin: 'everything, and manages the accounts',
  manager: 'everything but the accounts',
  supervisor:
    'reviews submissions and handles actions; sees schedules and may pause or resume them; cannot change settings, checklists, operators, machines or schedules',
};

/**
 * The page groups a supervisor may not open or post to: setup, not daily work. Listed by path here, in one
 * place, so a page added later for daily work (reviews, actions) is open to them without a change here.
 */
// '/accounts' is not here: requireAdmin guards it, so a supervisor (or a manager) is told only admins may.
export const SETUP_PATHS = ['/settings', '/templates', '/operators', '/machines', '/unknown-senders'];

const words = (role: string) => ROLE_WORDS[role as Role] ?? role;

/** Lets the request on only for the signed-in user's role being one of `roles`; else 403. */
export function allowRoles(roles: readonly Role[], what: string): RequestHandler {
  return (_req, res, next) => {
    const role = res.locals.user?.role ?? '';
    if ((roles as readonly string[]).includes(role)) return next();
    const allowed = roles.map((r) => `${words(r).toLowerCase()}s`).join(' and ');
    next(new ForbiddenError(`Only ${allowed} may ${what}. You are signed in as a ${words(role).toLowerCase()}.`));
  };
}

export const requireAdmin = allowRoles(['admin'], 'manage accounts');
/**
 * Making, changing and deleting a schedule sets the plant's plan: setup. Seeing the schedules, pausing and
 * resuming one (a machine down for the day) is daily work, open to supervisors too (docs/roles.md).
 */
export const schedulePlanners = allowRoles(['admin', 'manager'], 'make, change or delete schedules');
export const setupOnly = allowRoles(['admin', 'manager'], 'change settings, checklists, operators and machines');
