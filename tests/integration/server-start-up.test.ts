// The real entry point as a process: a bad setting stops it before it touches a database.
import { describe, expect, it } from 'vitest';
import { runScript } from '../support/run-script.js';

describe('src/server.ts start-up', () => {
  it('when PORT=abc, then the server exits 1 and stderr names PORT', () => {
    const result = runScript('src/server.ts', [], { PORT: 'abc' });

    expect(result.error).toBeUndefined();
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/PORT/);
  });
});
