// PM2: `npx pm2 start ecosystem.config.js`, then `pm2 logs kinto-app`, `pm2 restart kinto-app`.
// One instance by default: the embedded PostgreSQL serves a single process. For more instances set
// DATABASE_URL and KINTO_INSTANCES; the workers coordinate through PostgreSQL, not memory.
const instances = Number(process.env.KINTO_INSTANCES || 1);

module.exports = {
  apps: [
    {
      name: 'kinto-app',
      script: 'src/server.ts',
      interpreter: 'node',
      interpreter_args: '--import tsx',
      exec_mode: instances > 1 ? 'cluster' : 'fork',
      instances,
      wait_ready: true, // the server sends 'ready' after the database answers and it listens
      listen_timeout: 60000,
      kill_timeout: 20000, // longer than the server's own 15 s shutdown limit
      max_memory_restart: '512M',
      out_file: 'logs/kinto-app.out.log',
      error_file: 'logs/kinto-app.err.log',
      merge_logs: true,
      env: { NODE_ENV: 'production' },
    },
  ],
};
