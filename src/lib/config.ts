import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isKnownCountry, typedPhoneToE164 } from './phone.js';
import { phoneProblem } from './validation.js';
import { IANAZone } from 'luxon';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

export const MIN_RETENTION_DAYS = 30;

/** A typed answer sent less than this many seconds after its question left us was not read (decision 0007). */
export const DEFAULT_READ_MARGIN_SECONDS = 2;

/** Plain decimal digits: "0x10", "1e3" and "Infinity" are refused, not read as 16, 1000 and infinity. */
const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/**
 * A number variable. zod's own messages ("expected number, received NaN") say neither what the variable
 * holds nor its range, so every problem with one is the same plain sentence: what it must be, and the value.
 */
function numberVariable(rule: string, ok: (n: number) => boolean) {
  const problem = (issue: { input?: unknown }) => `${rule}; "${String(issue.input)}" is not.`;
  return z.string().trim().regex(DECIMAL, { error: problem }).transform(Number).refine(ok, { error: problem });
}
const wholeNumber = (unit: string, min: number, max: number) =>
  numberVariable(
    `must be a whole number of ${unit} from ${min} to ${max}`,
    (n) => Number.isInteger(n) && n >= min && n <= max,
  );

const fields = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: numberVariable(
    'must be a port number from 0 to 65535',
    (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
  ).default(5000),
  /** The address to listen on; unset: 127.0.0.1 outside production, every interface in production. */
  HOST: optionalString,
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  WHATSAPP_ACCESS_TOKEN: optionalString,
  WHATSAPP_PHONE_NUMBER_ID: optionalString,
  WHATSAPP_VERIFY_TOKEN: optionalString,
  WHATSAPP_APP_SECRET: optionalString,
  WHATSAPP_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com'),
  WHATSAPP_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must look like v25.0')
    .default('v25.0'),
  WHATSAPP_START_TEMPLATE: optionalString,
  WHATSAPP_ALERT_TEMPLATE: optionalString,
  WHATSAPP_TEMPLATE_LANGUAGE: z.string().trim().min(2).max(15).default('en'),
  WHATSAPP_PHOTOS_DIR: z.string().min(1).default('./whatsapp_photos'),
  SESSION_TTL_HOURS: numberVariable(
    `must be a number of hours above 0 and at most ${24 * 30}`,
    (n) => n > 0 && n <= 24 * 30,
  ).default(24),
  /**
   * Messages per second the outbox sends, across every process on the database (decision 0017). Meta allows 80
   * per business number by default, inbound and outbound together: 60 leaves room for the answers.
   */
  WHATSAPP_MAX_MESSAGES_PER_SECOND: wholeNumber('messages per second', 1, 1000).default(60),
  INBOX_SETTLE_MS: wholeNumber('milliseconds', 0, 10_000).default(1000),
  /**
   * How often each process looks for schedules whose start time has come and checklists past their due time:
   * a start is at most this late. Tests lower it so two real servers tick often.
   */
  SCHEDULES_POLL_MS: wholeNumber('milliseconds', 100, 60_000).default(5000),
  /**
   * Seconds after a question was accepted by the Graph API before a typed answer to it counts as read
   * (docs/decisions/0007-question-read-time.md); 0 only compares the seconds themselves.
   */
  QUESTION_READ_MARGIN_SECONDS: wholeNumber('seconds', 0, 60).default(DEFAULT_READ_MARGIN_SECONDS),
  /** Whole minutes: PostgreSQL's make_interval(mins => ...) takes an integer, so 0.5 failed every sweeper pass. */
  REMINDER_AFTER_MINUTES: wholeNumber('minutes', 1, 24 * 60).default(60),
  /**
   * Days finished whatsapp_inbox / whatsapp_outbox rows are kept; 0 keeps them for ever. Younger rows
   * are still needed: a message id de-duplicates Meta's webhook retries (up to 7 days), and an outbox
   * row matches late delivery statuses (Meta tries to deliver for up to 30 days) and re-engages a
   * session that may be open for up to SESSION_TTL_HOURS' maximum of 30 days.
   */
  WHATSAPP_LOG_RETENTION_DAYS: numberVariable(
    `must be 0 (keep for ever) or at least ${MIN_RETENTION_DAYS} days, a whole number up to 36500 (younger rows still match Meta's retries and late statuses)`,
    (d) => Number.isInteger(d) && d <= 36_500 && (d === 0 || d >= MIN_RETENTION_DAYS),
  ).default(90),
  /** The country of a phone number typed without its country code (ISO 3166 alpha-2), see .env.example. */
  DEFAULT_COUNTRY: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isKnownCountry, 'must be a two-letter country code (ISO 3166 alpha-2) such as IN, GB or US')
    .default('IN'),
  /** Printed at the top of a submission's report (issue 18); empty: no company line. */
  COMPANY_NAME: z.string().trim().max(200, 'must be at most 200 characters').default(''),
  /** A schedule's time zone when none is given (IANA name, e.g. Asia/Kolkata); see src/schedules. */
  DEFAULT_TIMEZONE: z
    .string()
    .trim()
    .refine((zone) => IANAZone.isValidZone(zone), {
      // Quotes the value like the number variables do: a typo ("Asia/Kolcata") is seen at once.
      error: (issue) =>
        `"${String(issue.input)}" is not an IANA time zone name; use one such as UTC, Asia/Kolkata or Europe/Berlin`,
    })
    .default('UTC'),
  /** Typed like an operator's number; read with DEFAULT_COUNTRY by `schema` below. */
  ALERT_PHONE_NUMBERS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  API_TOKEN: optionalString,
  // The web pages' first admin (created on first start) and the session cookie's signing secret.
  ADMIN_EMAIL: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address')
    .default('admin@localhost'),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(10, 'must be at least 10 characters').max(200).optional()),
  SESSION_SECRET: optionalString.pipe(
    z.string().min(32, 'must be at least 32 characters (openssl rand -hex 32)').optional(),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Processes PM2 runs (ecosystem.config.js); more than one needs a shared DATABASE_URL. */
  KINTO_INSTANCES: wholeNumber('processes', 1, 64).default(1),
  EMBEDDED_PG_DIR: z.string().min(1).default('./.data/postgres'),
  EMBEDDED_PG_PORT: numberVariable(
    'must be a port number from 1024 to 65535',
    (n) => Number.isInteger(n) && n >= 1024 && n <= 65535,
  ).default(54329),
});

/** Every variable the server reads (README's table and .env.example list each one). */
export const CONFIG_VARIABLES = Object.keys(fields.shape);

/** ALERT_PHONE_NUMBERS as E.164, read like a manager's input: DEFAULT_COUNTRY for a number without a country code. */
const schema = fields.transform((c, ctx) => {
  const alertNumbers: string[] = [];
  for (const typed of c.ALERT_PHONE_NUMBERS) {
    const phone = typedPhoneToE164(typed, c.DEFAULT_COUNTRY);
    if (phone.ok) alertNumbers.push(phone.e164);
    else ctx.addIssue({ code: 'custom', path: ['ALERT_PHONE_NUMBERS'], message: `"${typed}": ${phoneProblem(phone)}` });
  }
  return { ...c, ALERT_PHONE_NUMBERS: alertNumbers };
});

const REQUIRED_IN_PRODUCTION = [
  'DATABASE_URL',
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_VERIFY_TOKEN',
  'WHATSAPP_APP_SECRET',
  'API_TOKEN',
  'SESSION_SECRET',
] as const;

const REQUIRED_WITH_REAL_WHATSAPP = [
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_VERIFY_TOKEN',
  'WHATSAPP_APP_SECRET',
  'API_TOKEN',
] as const;

export type Config = Readonly<z.infer<typeof schema>> & {
  /** Outbound messages go to the in-process simulator instead of Meta. */
  readonly simulator: boolean;
  /** HOST, or outside production 127.0.0.1 (its secrets are public); undefined: every interface. */
  readonly listenHost: string | undefined;
  readonly verifyToken: string;
  readonly appSecret: string;
  readonly apiToken: string;
  readonly phoneNumberId: string;
  /** SESSION_SECRET, or outside production a random one per start (sessions then end at a restart). */
  readonly sessionSecret: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Development defaults so `npm start` works with no env; production requires real values (checked above). */
const DEV_SECRET = 'dev-only-not-secret';
/** Outside production the secrets above are public: listen where only this machine can reach us. */
const LOOPBACK = '127.0.0.1';

export function loadConfig(rawEnv: NodeJS.ProcessEnv): Config {
  // `PORT=` in a shell or .env means "not set", never 0 or "".
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
  if (env.NODE_ENV === 'production') {
    for (const key of REQUIRED_IN_PRODUCTION) {
      if (!env[key]) problems.push(`${key}: is required when NODE_ENV=production`);
    }
  } else if (env.WHATSAPP_ACCESS_TOKEN) {
    // Talking to the real Meta means real secrets: never the public development defaults.
    for (const key of REQUIRED_WITH_REAL_WHATSAPP) {
      if (!env[key]) problems.push(`${key}: is required when WHATSAPP_ACCESS_TOKEN is set`);
    }
  }
  if (Number(env.KINTO_INSTANCES ?? 1) > 1 && !env.DATABASE_URL) {
    problems.push('DATABASE_URL: is required with KINTO_INSTANCES > 1 (the embedded PostgreSQL serves one process)');
  }
  if (Number(env.KINTO_INSTANCES ?? 1) > 1 && !env.SESSION_SECRET) {
    problems.push('SESSION_SECRET: is required with KINTO_INSTANCES > 1 (every instance must sign sessions alike)');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const c = parsed.data;
  return Object.freeze({
    ...c,
    simulator: !c.WHATSAPP_ACCESS_TOKEN,
    listenHost: c.HOST ?? (c.NODE_ENV === 'production' ? undefined : LOOPBACK),
    verifyToken: c.WHATSAPP_VERIFY_TOKEN ?? DEV_SECRET,
    appSecret: c.WHATSAPP_APP_SECRET ?? DEV_SECRET,
    apiToken: c.API_TOKEN ?? DEV_SECRET,
    phoneNumberId: c.WHATSAPP_PHONE_NUMBER_ID ?? 'simulator',
    sessionSecret: c.SESSION_SECRET ?? randomBytes(32).toString('hex'),
  });
}
