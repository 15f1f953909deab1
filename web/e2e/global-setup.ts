import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the server under test answers, e.g. http://localhost:41234. */
    baseUrl: string;
  }
}

const repoRoot = path.resolve(import.meta.dirname, '../..');
const webDist = path.join(repoRoot, 'web', 'dist');
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

/** A port the OS says is free right now. */
async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Polls /readyz until the server answers 200, it exits, or the time runs out. */
async function waitUntilReady(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`The server exited with code ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The server was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the real server (embedded PostgreSQL, dev mailbox, demo data) on a free port with a fresh
 * data directory, serving the built web app; stops it and removes the data afterwards.
 */
export default async function setup(project: TestProject) {
  if (!existsSync(path.join(webDist, 'index.html'))) {
    throw new Error('web/dist is missing: build the web app first (npm run build -w web).');
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tin-e2e-'));
  const port = await findFreePort();
  const baseUrl = `http://localhost:${port}`;
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'serve'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      NODE_ENV: 'development',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      // Embedded defaults only, whatever the surrounding environment points at.
      DATABASE_URL: '',
      REDIS_URL: '',
      APP_SECRET: '',
      MAIL_DRIVER: 'dev-mailbox',
      STORAGE_DIR: '',
      SERVE_WEB: 'true',
      WEB_DIST: webDist,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  try {
    await waitUntilReady(`http://127.0.0.1:${port}/readyz`, child, () => output);
  } catch (error) {
    await stop(child);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  project.provide('baseUrl', baseUrl);

  return async () => {
    await stop(child);
    await rm(dataDir, { recursive: true, force: true });
    if (child.exitCode !== 0 && child.exitCode !== null && process.env['E2E_SERVER_LOG'])
      process.stderr.write(output);
  };
}
