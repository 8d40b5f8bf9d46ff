import { describe, expect, it } from 'vitest';
import { DUMMY_HASH, generatePassword, hashPassword, verifyPassword } from './password.js';

// scrypt at N=32768 takes ~100 ms a hash alone, but seconds on a machine at load 20: a wider limit than
// vitest's 5 s default, so the unit lane does not fail on machine load (the test measures no speed).
describe('passwords', { timeout: 30_000 }, () => {
  it('when a password is hashed, then only that password verifies and the hash names scrypt and its parameters', async () => {
    const hash = await hashPassword('correct horse battery');

    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('when the same password is hashed twice, then the salts differ', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('when the stored hash is malformed or the dummy, then nothing verifies', async () => {
    for (const stored of ['', 'plain', 'bcrypt$x', 'scrypt$x$y$z$$', DUMMY_HASH])
      expect(await verifyPassword('', stored)).toBe(false);
  });

  it('when a first-admin password is generated, then it is 18 URL-safe characters and new each time', () => {
    const a = generatePassword();

    expect(a).toMatch(/^[A-Za-z0-9_-]{18}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
