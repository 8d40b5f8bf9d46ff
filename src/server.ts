import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './lib/config.js';
import { connectDatabase } from './lib/db/connect.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createRuntime } from './runtime.js';
import { createGraphClient } from './whatsapp/graph-client.js';
import { createSimulatorSender, SimulatorStore } from './whatsapp/simulator-sender.js';

const SHUTDOWN_TIMEOUT_MS = 15_000;

function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`${err.message}\nSee .env.example for every variable.`);
      process.exit(1);
    }
    throw err;
  }
}

function senderFor(config: Config, logger: Logger) {
  if (!config.simulator) {
    return createGraphClient({
      baseUrl: config.WHATSAPP_API_BASE_URL,
      version: config.WHATSAPP_API_VERSION,
      phoneNumberId: config.phoneNumberId,
      accessToken: config.WHATSAPP_ACCESS_TOKEN!,
    });
  }
  logger.warn('[WHATSAPP] No WHATSAPP_ACCESS_TOKEN: outgoing messages go to the built-in simulator, not to Meta');
  return createSimulatorSender(new SimulatorStore());
}

async function main() {
  const config = readConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.NODE_ENV === 'development' });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'Unhandled promise rejection; exiting so the process manager restarts us');
    process.exit(1);
  });

  const photosDir = path.resolve(config.WHATSAPP_PHOTOS_DIR);
  fs.mkdirSync(photosDir, { recursive: true, mode: 0o755 });

  const database = await connectDatabase(config, logger);
  const runtime = createRuntime({ config, db: database.db, logger, sender: senderFor(config, logger) });
  runtime.startWorkers();

  const server: Server = runtime.app.listen(config.PORT, () => {
    logger.info({ port: config.PORT, simulator: config.simulator }, `KINTO Checklists listening on http://localhost:${config.PORT}`);
    process.send?.('ready'); // PM2 wait_ready
  });
  server.on('error', async (err) => {
    logger.fatal({ err }, `Cannot listen on port ${config.PORT}`);
    await runtime.stopWorkers();
    await database.close();
    process.exit(1);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down: finishing requests and workers');
    const force = setTimeout(() => {
      logger.error('Shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await runtime.stopWorkers();
    await database.close();
    logger.info('Stopped cleanly');
    logger.flush();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('message', (msg) => msg === 'shutdown' && void shutdown('shutdown message'));
}

main().catch((err) => {
  console.error('Failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
