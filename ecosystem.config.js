// PM2: `npx pm2 start ecosystem.config.js`, then `pm2 logs kinto-app`, `pm2 restart kinto-app`.
// KINTO_INSTANCES (default 1) instances; more than one runs in cluster mode and needs DATABASE_URL
// (the embedded PostgreSQL serves a single process). Workers coordinate through PostgreSQL.
// Environment: the shell's, or a .env file in this folder (see .env.example).
// The package is ESM; PM2 loads this file with require(), which Node >= 20.19 allows for ESM, and it
// reads the named export `apps`.
import fs from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
// The same .env the server reads (the shell's values win), so KINTO_INSTANCES may live there too.
const envFile = path.join(here, '.env');
if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
const instances = Number(process.env.KINTO_INSTANCES || 1);

export const apps = [
  {
    name: 'kinto-app',
    cwd: here,
    script: 'src/pm2-entry.mjs', // registers tsx, then loads src/server.ts (PM2 7 will not run .ts itself)
    exec_mode: instances > 1 ? 'cluster' : 'fork',
    instances,
    wait_ready: true, // the server sends 'ready' once the database answers and it listens
    listen_timeout: 60000,
    kill_timeout: 20000, // longer than the server's own 15 s shutdown limit
    max_memory_restart: '512M',
    out_file: 'logs/kinto-app.out.log',
    error_file: 'logs/kinto-app.err.log',
    merge_logs: true,
    env: { NODE_ENV: 'production', KINTO_INSTANCES: String(instances) },
  },
];
