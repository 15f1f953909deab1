import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type TConfig } from './config.js';
import { closeDeps, createDeps, verifyDeps } from './deps.js';
import { migrateToLatest } from './adapters/database/migrator.js';
import { createLogger } from './logger.js';
import { ZEmail } from './http/common.schema.js';
import { createWorker } from './jobs.js';
import type { seedDemo as TSeedDemo } from './seed/demo-seed.js';

/** The demo seed (and the image library it uses) is loaded only when seeding. */
const seedDemo = async (...args: Parameters<typeof TSeedDemo>) =>
  (await import('./seed/demo-seed.js')).seedDemo(...args);

const usage = `Usage: tickitnow <command>

  serve                 migrate, seed demo data on first start (local), and serve web + API
                        (runs the background worker too unless WORKERS_IN_PROCESS=false)
  worker                run background jobs only (e-mails, hold expiry, refunds)
  migrate               apply pending database migrations
  seed                  create the demo organizer and events (once)
  create-admin <email>  make an e-mail address a platform administrator
  openapi <file>        write the OpenAPI document to a file
`;

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true });
  const [command = 'serve', ...rest] = positionals;
  if (!['serve', 'worker', 'migrate', 'seed', 'create-admin', 'openapi'].includes(command)) {
    process.stderr.write(usage);
    return 2;
  }
  loadDotenv({ quiet: true });
  let config: TConfig;
  try {
    config = loadConfig(process.env, { persistSecret: true });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const logger = createLogger(config);

  if (command === 'openapi') {
    const target = rest[0];
    if (!target) {
      process.stderr.write('openapi needs a target file\n');
      return 2;
    }
    const deps = await createDeps(
      { ...config, database: { kind: 'pglite', dataDir: null } },
      logger,
    );
    const { app } = await buildApp(
      { ...config, web: { ...config.web, serve: false } },
      deps,
      logger,
    );
    await app.ready();
    mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    writeFileSync(target, `${JSON.stringify(app.swagger(), null, 2)}\n`);
    await app.close();
    await closeDeps(deps);
    return 0;
  }

  const deps = await createDeps(config, logger);
  try {
    await verifyDeps(config, deps);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    await closeDeps(deps);
    return 1;
  }
  const applied = await migrateToLatest(deps.database);
  if (applied.length) logger.info({ migrations: applied }, 'migrations applied');

  switch (command) {
    case 'migrate':
      await closeDeps(deps);
      return 0;
    case 'seed':
    case 'create-admin': {
      const { services } = await buildApp(config, deps, logger);
      if (command === 'seed') {
        const created = await seedDemo(deps.database.db, services, deps.clock, deps.activityStore);
        logger.info(created ? 'demo data created' : 'demo data already present');
      } else {
        const email = ZEmail.safeParse(rest[0] ?? '');
        if (!email.success) {
          process.stderr.write('create-admin needs an e-mail address\n');
          await closeDeps(deps);
          return 2;
        }
        const admin = await services.users.createAdmin(email.data);
        logger.info(
          { userId: admin.id, email: admin.email },
          'administrator ready; sign in with this address',
        );
      }
      await closeDeps(deps);
      return 0;
    }
    case 'worker':
      return runWorker(config, deps, logger);
    default:
      return serve(config, deps, logger);
  }
}

async function runWorker(
  config: TConfig,
  deps: Awaited<ReturnType<typeof createDeps>>,
  logger: ReturnType<typeof createLogger>,
) {
  const { services } = await buildApp(
    { ...config, web: { ...config.web, serve: false } },
    deps,
    logger,
  );
  const worker = createWorker(config, deps, services, logger);
  try {
    // Raising one's own niceness needs no privilege; a platform may still refuse it.
    os.setPriority(config.workers.niceness);
  } catch (error) {
    logger.warn({ err: error }, 'worker niceness could not be set; running at normal priority');
  }
  const stop = async (signal: string) => {
    logger.info({ signal }, 'worker stopping after the jobs in hand');
    await worker.stop();
    await closeDeps(deps);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  worker.start();
  logger.info('worker started');
  return new Promise<number>(() => undefined);
}

async function serve(
  config: TConfig,
  deps: Awaited<ReturnType<typeof createDeps>>,
  logger: ReturnType<typeof createLogger>,
) {
  const { app, services } = await buildApp(config, deps, logger);
  if (
    config.seedDemo &&
    (await seedDemo(deps.database.db, services, deps.clock, deps.activityStore))
  )
    logger.info('demo data created');

  const worker = config.workers.inProcess ? createWorker(config, deps, services, logger) : null;

  let isClosing = false;
  const shutdown = async (signal: string) => {
    if (isClosing) return;
    isClosing = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
    // New requests get 503 while in-flight ones finish; the worker finishes its batch; then the adapters close.
    await Promise.all([app.close(), worker?.stop()]);
    await closeDeps(deps);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  // An on-sale opens a thousand connections at once. Node's default accept queue (511) dropped
  // 3,000–3,800 connection attempts per such burst in the benchmark, each retried by the client's
  // TCP a second or more later. The kernel caps the queue at net.core.somaxconn (see OPERATIONS).
  await app.listen({ host: config.host, port: config.port, backlog: 4096 });
  worker?.start();
  const lines = [
    `TickItNow is ready at ${config.publicUrl}`,
    `  API docs:     ${config.publicUrl}/api/docs`,
    deps.mailer.kind === 'dev-mailbox'
      ? `  Dev mailbox:  ${config.publicUrl}/dev/mailbox (sign-in codes land here)`
      : `  Mail:         sent through SMTP`,
    `  Database:     ${config.database.kind === 'pglite' ? `embedded PostgreSQL in ${config.database.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
    `  Cache:        ${deps.cache.kind === 'redis' ? 'Redis (REDIS_URL)' : 'in-process'}`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  return new Promise<number>(() => undefined);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
