import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sign, verifySignature } from '../../src/whatsapp/signature.js';

const SECRET = 'app-secret';
const BODY = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const hex = createHmac('sha256', SECRET).update(BODY).digest('hex');

describe('sign', () => {
  it("when signing, then it gives Meta's header form: sha256= and the HMAC-SHA256 hex of the bytes", () => {
    expect(sign(BODY, SECRET)).toBe(`sha256=${hex}`);
    expect(sign(BODY.toString('utf8'), SECRET)).toBe(`sha256=${hex}`);
  });
});

describe('verifySignature', () => {
  it.each([
    { name: 'the exact signature', header: `sha256=${hex}`, ok: true },
    { name: 'upper-case hex', header: `sha256=${hex.toUpperCase()}`, ok: true },
    { name: 'surrounding whitespace', header: `  sha256=${hex} `, ok: true },
    { name: 'no header', header: undefined, ok: false },
    { name: 'an empty header', header: '', ok: false },
    { name: 'the bare hex, no prefix', header: hex, ok: false },
    { name: 'the sha1= prefix', header: `sha1=${hex}`, ok: false },
    { name: 'a truncated digest', header: `sha256=${hex.slice(0, 62)}`, ok: false },
    { name: 'a digest with an extra byte', header: `sha256=${hex}00`, ok: false },
    { name: 'non-hex characters', header: `sha256=${'z'.repeat(64)}`, ok: false },
    { name: 'a digest made with another secret', header: sign(BODY, 'other-secret'), ok: false },
    { name: 'one flipped hex digit', header: `sha256=${(hex[0] === '0' ? '1' : '0') + hex.slice(1)}`, ok: false },
  ])('when the header is $name, then the result is $ok', ({ header, ok }) => {
    expect(verifySignature(BODY, header, SECRET)).toBe(ok);
  });

  it.each([
    {
      name: 're-serialised with other spacing',
      body: Buffer.from(JSON.stringify(JSON.parse(BODY.toString()), null, 2)),
    },
    { name: 'one byte longer', body: Buffer.concat([BODY, Buffer.from('\n')]) },
    { name: 'empty', body: Buffer.alloc(0) },
  ])('when the body is $name, then the original signature does not verify', ({ body }) => {
    expect(verifySignature(body, sign(BODY, SECRET), SECRET)).toBe(false);
  });

  it('when the body is empty but signed as such, then it verifies', () => {
    expect(verifySignature(Buffer.alloc(0), sign(Buffer.alloc(0), SECRET), SECRET)).toBe(true);
  });

  it('when the body has multi-byte UTF-8, then the signature covers the bytes', () => {
    const body = Buffer.from('{"text":"तेल ठीक है ✅"}', 'utf8');

    expect(verifySignature(body, sign(body, SECRET), SECRET)).toBe(true);
    expect(verifySignature(Buffer.from(body.toString('latin1'), 'utf8'), sign(body, SECRET), SECRET)).toBe(false);
  });
});
