// README's configuration table and .env.example are where an operator of the server looks a variable up.
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../src/lib/config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const envExample = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

/** Each variable named in a row of README's "Variable | Default | Meaning" table, with that row's meaning. */
function readmeTable(): Map<string, string> {
  const section = readme.slice(readme.indexOf('| Variable | Default | Meaning |'));
  const rows = section.slice(0, section.indexOf('\n\n')).split('\n').slice(2);
  const table = new Map<string, string>();
  for (const row of rows) {
    const [names = '', , meaning = ''] = row.split('|').slice(1);
    for (const name of names.matchAll(/`([A-Z_]+)`/g)) table.set(name[1]!, meaning.trim());
  }
  return table;
}
const envExampleVariables = [...envExample.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]!);

describe("README's table of environment variables", () => {
  it('when config reads a variable, then README has a row for it with a description', () => {
    const table = readmeTable();

    for (const name of CONFIG_VARIABLES) {
      expect(table.has(name), `${name} has a row`).toBe(true);
      expect(table.get(name)!.length, `${name} has a description`).toBeGreaterThan(10);
    }
  });

  it('when .env.example sets a variable, then config reads it and README lists it', () => {
    const table = readmeTable();

    expect(envExampleVariables.length).toBeGreaterThan(20);
    for (const name of envExampleVariables) {
      expect(CONFIG_VARIABLES, `${name} is read by config`).toContain(name);
      expect(table.has(name), `${name} has a row`).toBe(true);
    }
  });

  it('when README lists a variable, then config reads it', () => {
    expect([...readmeTable().keys()].filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });
});

describe('.env.example copied to .env as it is', () => {
  it('when the server reads it, then the config loads, in development, on the embedded PostgreSQL (npm start works)', () => {
    const config = loadConfig(parseEnv(envExample));

    expect([config.NODE_ENV, config.DATABASE_URL]).toEqual(['development', undefined]);
  });
});
