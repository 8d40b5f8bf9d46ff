import { describe, expect, it } from 'vitest';
import { runScript } from '../support/run-script.js';

describe('npm run photos:prune', () => {
  it.each([[[]], [['--older-than', 'soon']], [['--older-than', '365d', '--force']]])(
    'when it is run with %j, then it prints the usage and exits 2 before touching a database',
    (argv) => {
      const result = runScript('src/photos/prune-cli.ts', argv, { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });

      expect(result.error).toBeUndefined();
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/Usage: npm run photos:prune -- --older-than 365d/);
    },
  );

  it('when the database cannot be reached, then it says so in one line and exits 1', () => {
    const result = runScript('src/photos/prune-cli.ts', ['--older-than', '365d', '--dry-run'], { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });

    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^Prune failed: /m);
  });
});
