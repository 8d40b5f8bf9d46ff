import fs from 'node:fs';

/**
 * Fills in, from a .env file in the working folder (see .env.example), what the real environment
 * does not set. Entry points call it before loadConfig; nothing else reads files for config.
 */
export function loadDotEnv(file = '.env'): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}
