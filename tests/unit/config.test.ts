import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/lib/config.js';

const REQUIRED_IN_PRODUCTION = [
  'DATABASE_URL',
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_VERIFY_TOKEN',
  'WHATSAPP_APP_SECRET',
  'API_TOKEN',
  'SESSION_SECRET',
];
const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://kinto:pw@127.0.0.1:5432/kinto',
  WHATSAPP_ACCESS_TOKEN: 'token',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  WHATSAPP_VERIFY_TOKEN: 'verify',
  WHATSAPP_APP_SECRET: 'secret',
  API_TOKEN: 'api',
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
};

/** The ConfigError loadConfig throws for env (fails the test when it does not throw one). */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}
const named = (err: ConfigError, key: string) => err.problems.some((p) => p.startsWith(`${key}:`));

describe('loadConfig', () => {
  it('when nothing is set, then the documented defaults apply and messages go to the simulator', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 5000,
      WHATSAPP_API_BASE_URL: 'https://graph.facebook.com',
      WHATSAPP_API_VERSION: 'v25.0',
      SESSION_TTL_HOURS: 24,
      simulator: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when every production variable is set, then production loads and talks to Meta', () => {
    const config = loadConfig(PRODUCTION);

    expect(config).toMatchObject({
      NODE_ENV: 'production',
      simulator: false,
      appSecret: 'secret',
      apiToken: 'api',
      phoneNumberId: '106540352242922',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['SESSION_TTL_HOURS', '-1'],
    ['WHATSAPP_API_VERSION', '24'],
    ['LOG_LEVEL', 'loud'],
  ])('when %s=%j, then a ConfigError names it', (key, value) => {
    const err = configError({ [key]: value });

    expect(named(err, key)).toBe(true);
    expect(err.message).toContain(key);
  });

  it('when NODE_ENV=production and nothing else is set, then the error names every required variable', () => {
    const err = configError({ NODE_ENV: 'production' });

    for (const key of REQUIRED_IN_PRODUCTION) expect(named(err, key), key).toBe(true);
  });

  it.each(REQUIRED_IN_PRODUCTION)('when production lacks only %s (blank), then the error names it alone', (key) => {
    const err = configError({ ...PRODUCTION, [key]: '  ' });

    expect(err.problems.map((p) => p.split(':')[0])).toEqual([key]);
  });

  it.each(['not a url', 'mysql://u:p@localhost/db', 'http://localhost:5432/db'])(
    'when DATABASE_URL=%j, then a ConfigError names DATABASE_URL',
    (url) => {
      const err = configError({ DATABASE_URL: url });

      expect(named(err, 'DATABASE_URL')).toBe(true);
    },
  );

  it('when PORT is empty, then it is not silently 0 (a random port)', () => {
    let port: number | 'error';
    try {
      port = loadConfig({ PORT: '' }).PORT;
    } catch {
      port = 'error';
    }

    expect(port).not.toBe(0);
  });
});

describe('several PM2 instances', () => {
  it('when KINTO_INSTANCES > 1 without DATABASE_URL and SESSION_SECRET, then both are named', () => {
    let problems: string[] = [];
    try {
      loadConfig({ KINTO_INSTANCES: '2' });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems.map((p) => p.split(':')[0])).toEqual(['DATABASE_URL', 'SESSION_SECRET']);
  });
});

describe('WHATSAPP_LOG_RETENTION_DAYS', () => {
  it('when it is not set, then finished WhatsApp rows are kept 90 days', () => {
    expect(loadConfig({}).WHATSAPP_LOG_RETENTION_DAYS).toBe(90);
  });

  it.each([
    ['0', 0],
    ['30', 30],
    ['365', 365],
  ])('when it is %s, then it is %i days (0: kept for ever)', (value, days) => {
    expect(loadConfig({ WHATSAPP_LOG_RETENTION_DAYS: value }).WHATSAPP_LOG_RETENTION_DAYS).toBe(days);
  });

  it.each(['29', '7', '1', '-5', 'abc', '90 days', '45.5'])('when it is %j, then a ConfigError names it', (value) => {
    const err = configError({ WHATSAPP_LOG_RETENTION_DAYS: value });

    expect(err.problems.map((p) => p.split(':')[0])).toEqual(['WHATSAPP_LOG_RETENTION_DAYS']);
  });

  it('when it is below the minimum, then the message says 0 or at least 30', () => {
    const err = configError({ WHATSAPP_LOG_RETENTION_DAYS: '7' });

    expect(err.message).toContain('WHATSAPP_LOG_RETENTION_DAYS: must be 0 (keep for ever) or at least 30 days');
  });
});

// Issue 14 item 6: REMINDER_AFTER_MINUTES=0.5 made every lifecycle pass fail in PostgreSQL
// ("invalid input syntax for type integer"); minutes are whole numbers, refused at start by name.
describe('minutes in the config', () => {
  it.each(['0.5', '1.5', '59.99', '0', '-10', 'soon'])(
    'when REMINDER_AFTER_MINUTES is %j, then a ConfigError names it',
    (value) => {
      const err = configError({ REMINDER_AFTER_MINUTES: value });

      expect(err.problems.map((p) => p.split(':')[0])).toEqual(['REMINDER_AFTER_MINUTES']);
    },
  );

  it('when it is a fraction, then the message says minutes are whole numbers', () => {
    expect(configError({ REMINDER_AFTER_MINUTES: '0.5' }).message).toContain(
      'REMINDER_AFTER_MINUTES: must be a whole number of minutes',
    );
  });

  it.each([
    ['1', 1],
    ['60', 60],
    [' 90 ', 90],
  ])('when REMINDER_AFTER_MINUTES is %j, then it is %i minutes', (value, minutes) => {
    expect(loadConfig({ REMINDER_AFTER_MINUTES: value }).REMINDER_AFTER_MINUTES).toBe(minutes);
  });
});

// QA: REMINDER_AFTER_MINUTES=abc printed zod's "expected number, received NaN", which names no unit or range.
describe('numbers in the config', () => {
  it.each([
    [
      'REMINDER_AFTER_MINUTES',
      'abc',
      'REMINDER_AFTER_MINUTES: must be a whole number of minutes from 1 to 1440; "abc" is not.',
    ],
    [
      'REMINDER_AFTER_MINUTES',
      '0',
      'REMINDER_AFTER_MINUTES: must be a whole number of minutes from 1 to 1440; "0" is not.',
    ],
    [
      'QUESTION_READ_MARGIN_SECONDS',
      'two',
      'QUESTION_READ_MARGIN_SECONDS: must be a whole number of seconds from 0 to 60; "two" is not.',
    ],
    [
      'QUESTION_READ_MARGIN_SECONDS',
      '61',
      'QUESTION_READ_MARGIN_SECONDS: must be a whole number of seconds from 0 to 60; "61" is not.',
    ],
    [
      'INBOX_SETTLE_MS',
      '1.5',
      'INBOX_SETTLE_MS: must be a whole number of milliseconds from 0 to 10000; "1.5" is not.',
    ],
    ['SESSION_TTL_HOURS', '0', 'SESSION_TTL_HOURS: must be a number of hours above 0 and at most 720; "0" is not.'],
    ['KINTO_INSTANCES', 'many', 'KINTO_INSTANCES: must be a whole number of processes from 1 to 64; "many" is not.'],
    ['PORT', '-1', 'PORT: must be a port number from 0 to 65535; "-1" is not.'],
    ['PORT', '0x10', 'PORT: must be a port number from 0 to 65535; "0x10" is not.'],
    ['EMBEDDED_PG_PORT', '80', 'EMBEDDED_PG_PORT: must be a port number from 1024 to 65535; "80" is not.'],
  ])('when %s is %j, then the problem is one plain sentence naming it', (key, value, problem) => {
    expect(configError({ [key]: value }).problems).toEqual([problem]);
  });

  it.each(['abc', '1e3', 'Infinity', '7'])(
    'when WHATSAPP_LOG_RETENTION_DAYS is %j, then the sentence says 0 or at least 30 days',
    (value) => {
      const [problem] = configError({ WHATSAPP_LOG_RETENTION_DAYS: value }).problems;

      expect(problem).toMatch(/^WHATSAPP_LOG_RETENTION_DAYS: must be 0 \(keep for ever\) or at least 30 days/);
      expect(problem).toContain(`"${value}" is not.`);
    },
  );

  it("when every number variable is not a number, then each is named and no message is zod's own", () => {
    const numeric = [
      'PORT',
      'SESSION_TTL_HOURS',
      'INBOX_SETTLE_MS',
      'QUESTION_READ_MARGIN_SECONDS',
      'REMINDER_AFTER_MINUTES',
      'WHATSAPP_LOG_RETENTION_DAYS',
      'KINTO_INSTANCES',
      'EMBEDDED_PG_PORT',
    ];

    const { problems } = configError(Object.fromEntries(numeric.map((k) => [k, 'abc'])));

    expect(problems.map((p) => p.split(':')[0])).toEqual(numeric);
    for (const p of problems) expect(p).not.toMatch(/expected|received|NaN|Invalid input/);
  });

  it.each([
    ['PORT', ' 8080 ', 8080],
    ['SESSION_TTL_HOURS', '0.5', 0.5],
    ['QUESTION_READ_MARGIN_SECONDS', '0', 0],
    ['EMBEDDED_PG_PORT', '+55432', 55432],
  ])('when %s is %j, then it is %d', (key, value, n) => {
    expect(loadConfig({ [key]: value })[key as 'PORT']).toBe(n);
  });
});

describe('HOST: where the server listens', () => {
  it('when development runs without HOST, then it listens on 127.0.0.1 only (its secrets are public)', () => {
    expect(loadConfig({}).listenHost).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'development' }).listenHost).toBe('127.0.0.1');
  });

  it('when development sets HOST, then it listens there', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).listenHost).toBe('0.0.0.0');
  });

  it('when production runs without HOST, then it listens on every interface (behind the proxy); with HOST, there', () => {
    expect(loadConfig(PRODUCTION).listenHost).toBeUndefined();
    expect(loadConfig({ ...PRODUCTION, HOST: '127.0.0.1' }).listenHost).toBe('127.0.0.1');
  });
});

describe('DEFAULT_COUNTRY and ALERT_PHONE_NUMBERS', () => {
  it('when DEFAULT_COUNTRY is not set, then numbers without a country code are Indian', () => {
    expect(loadConfig({}).DEFAULT_COUNTRY).toBe('IN');
  });

  it('when DEFAULT_COUNTRY is a code in lower case, then it is taken in upper case', () => {
    expect(loadConfig({ DEFAULT_COUNTRY: ' gb ' }).DEFAULT_COUNTRY).toBe('GB');
  });

  it.each(['XX', 'India', 'IND', '91'])('when DEFAULT_COUNTRY=%j, then the start is refused naming it', (value) => {
    const err = configError({ DEFAULT_COUNTRY: value });

    expect(err.problems).toEqual([
      'DEFAULT_COUNTRY: must be a two-letter country code (ISO 3166 alpha-2) such as IN, GB or US',
    ]);
  });

  it('when ALERT_PHONE_NUMBERS are typed as people type them, then they are E.164, read with DEFAULT_COUNTRY', () => {
    expect(loadConfig({ ALERT_PHONE_NUMBERS: '+44 (0)20 7946 0958, 98123 45678' }).ALERT_PHONE_NUMBERS).toEqual([
      '+442079460958',
      '+919812345678',
    ]);
    expect(loadConfig({ DEFAULT_COUNTRY: 'GB', ALERT_PHONE_NUMBERS: '020 7946 0958' }).ALERT_PHONE_NUMBERS).toEqual([
      '+442079460958',
    ]);
  });

  it('when one of ALERT_PHONE_NUMBERS is no phone number, then the start is refused naming the variable and the number', () => {
    const err = configError({ ALERT_PHONE_NUMBERS: '+919812345678, 55512 34567' });

    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(
      /^ALERT_PHONE_NUMBERS: "55512 34567": There is no phone number with these digits in India \(\+91\)/,
    );
  });
});

describe('DEFAULT_TIMEZONE', () => {
  it('when DEFAULT_TIMEZONE is not set, then schedules default to UTC', () => {
    expect(loadConfig({}).DEFAULT_TIMEZONE).toBe('UTC');
  });

  it('when DEFAULT_TIMEZONE is an IANA name, then it is kept', () => {
    expect(loadConfig({ DEFAULT_TIMEZONE: 'Asia/Kolkata' }).DEFAULT_TIMEZONE).toBe('Asia/Kolkata');
  });

  it.each(['Mars/Olympus', 'IST+5'])('when DEFAULT_TIMEZONE=%j, then the start is refused naming it', (value) => {
    expect(configError({ DEFAULT_TIMEZONE: value }).problems).toEqual([
      `DEFAULT_TIMEZONE: "${value}" is not an IANA time zone name; use one such as UTC, Asia/Kolkata or Europe/Berlin`,
    ]);
  });
});
