import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seedDemoData } from './simulator/seed-demo.js';
import { ensureFirstAdmin } from './admin/auth/first-admin.js';
import { normaliseOperatorPhonesAtStart } from './admin/catalogue/operator-phones.js';
import { ConfigError, loadConfig, type Config } from './lib/config.js';
import { connectDatabase } from './lib/db/connect.js';
import { loadDotEnv } from './lib/dotenv.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createRuntime } from './runtime.js';
import { createGraphClient } from './whatsapp/graph-client.js';
import { graphMediaSource } from './whatsapp/media-source.js';
import { createSimulatorSender, SimulatorStore } from './whatsapp/simulator-sender.js';

const SHUTDOWN_TIMEOUT_MS = 15_000;

function readConfig(): Config {
  loadDotEnv();
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

function channelFor(config: Config, logger: Logger) {
  if (!config.simulator) {
    const client = createGraphClient({
      baseUrl: config.WHATSAPP_API_BASE_URL,
      version: config.WHATSAPP_API_VERSION,
      phoneNumberId: config.phoneNumberId,
      accessToken: config.WHATSAPP_ACCESS_TOKEN!,
    });
    return { sender: client, media: graphMediaSource(client), simulator: null };
  }
  logger.warn('[WHATSAPP] No WHATSAPP_ACCESS_TOKEN: outgoing messages go to the built-in simulator, not to Meta');
  const store = new SimulatorStore();
  return { sender: createSimulatorSender(store), media: store, simulator: store };
}

const anyInterface = (host: string | undefined): boolean => host === undefined || host === '0.0.0.0' || host === '::';
const bracketed = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** The address we listen on as a URL writes it, for people. */
const urlHost = (host: string | undefined): string => (anyInterface(host) ? 'localhost' : bracketed(host!));

/** Where this process reaches itself (the simulator posts its webhooks there). */
const selfHost = (host: string | undefined): string => (anyInterface(host) ? '127.0.0.1' : bracketed(host!));

/** Said in the start log: who can reach the server, and how to change it. */
function whoCanReach(config: Config): string {
  if (config.listenHost === undefined) return ' (all interfaces; set HOST to listen on one address)';
  if (config.HOST === undefined)
    return ` (this machine only: ${config.NODE_ENV} uses public secrets; set HOST=0.0.0.0 to open it to the network)`;
  return '';
}

async function main() {
  const config = readConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.NODE_ENV === 'development' });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'Unhandled promise rejection; exiting so the process manager restarts us');
    process.exit(1);
  });

  if (!config.simulator && !config.WHATSAPP_START_TEMPLATE) {
    logger.warn(
      '[WHATSAPP] No WHATSAPP_START_TEMPLATE: operators who have not written in 24 hours cannot be reached (Meta refuses free-form messages, error 131047)',
    );
  }
  if (!config.simulator && config.ALERT_PHONE_NUMBERS.length > 0 && !config.WHATSAPP_ALERT_TEMPLATE) {
    logger.warn(
      '[WHATSAPP] No WHATSAPP_ALERT_TEMPLATE: NOT OK alerts reach only ALERT_PHONE_NUMBERS that wrote in the last 24 hours (Meta refuses free-form messages, error 131047, and there is no template to send instead); the dashboard lists the alerts that did not arrive',
    );
  }
  const photosDir = path.resolve(config.WHATSAPP_PHOTOS_DIR);
  fs.mkdirSync(photosDir, { recursive: true, mode: 0o755 });

  const database = await connectDatabase(config, logger, { ownProcessGroup: true });
  // An empty users table gets its admin (ADMIN_EMAIL / ADMIN_PASSWORD, or a generated password printed once).
  await ensureFirstAdmin(database.db, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD }, logger);
  // Numbers saved before libphonenumber, rewritten in TypeScript after the migrations (SQL cannot parse them).
  await normaliseOperatorPhonesAtStart(database.db, logger);
  if (config.simulator) await seedDemoData(database.db, logger);
  const channel = channelFor(config, logger);
  let port = config.PORT;
  const runtime = createRuntime({
    config,
    db: database.db,
    logger,
    sender: channel.sender,
    media: channel.media,
    simulator: channel.simulator
      ? {
          store: channel.simulator,
          webhookUrl: () => `http://${selfHost(config.listenHost)}:${port}/api/whatsapp/webhook`,
        }
      : null,
  });
  runtime.startWorkers();

  const onListening = () => {
    port = (server.address() as AddressInfo).port;
    const url = `http://${urlHost(config.listenHost)}:${port}`;
    if (config.simulator) logger.info(`WhatsApp simulator: play the operator at ${url}/simulator`);
    logger.info(
      { port: config.PORT, host: config.listenHost ?? 'all interfaces', simulator: config.simulator },
      `KINTO Checklists listening on ${url}${whoCanReach(config)}`,
    );
    process.send?.('ready'); // PM2 wait_ready
  };
  // No host: Node's default, every interface (IPv6 and IPv4).
  const server: Server =
    config.listenHost === undefined
      ? runtime.app.listen(config.PORT, onListening)
      : runtime.app.listen(config.PORT, config.listenHost, onListening);
  server.on('error', (err) => {
    logger.fatal({ err }, `Cannot listen on port ${config.PORT}`);
    void (async () => {
      await runtime.stopWorkers();
      await database.close();
      process.exit(1);
    })();
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`Shutting down (${signal}): finishing requests, then the workers, the pool and the database`);
    const force = setTimeout(() => {
      logger.error('Shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    logger.info('HTTP server closed');
    await runtime.stopWorkers();
    await database.close();
    logger.info('Stopped cleanly');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
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
