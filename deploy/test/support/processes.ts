import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const webDist = path.join(repoRoot, 'web', 'dist');
export const nginxBinary = process.env['NGINX_BIN'] ?? '/usr/sbin/nginx';

const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

/** A port the OS says is free right now. */
export async function findFreePort(): Promise<number> {
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

/** A child process whose last output is kept for error messages. */
type TRunning = { child: ChildProcess; output: () => string };

function startProcess(command: string, args: string[], options: Parameters<typeof spawn>[2]) {
  let output = '';
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output } satisfies TRunning;
}

/** Polls `url` until it answers 200, the process exits, or the time runs out. */
async function waitUntilReady(url: string, running: TRunning, name: string) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null)
      throw new Error(`${name} exited with code ${running.child.exitCode}:\n${running.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `${name} was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${running.output()}`,
  );
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

export type TServer = { url: string; port: number; stop: () => Promise<void> };

/**
 * Starts the real TickItNow server (embedded PostgreSQL, dev mailbox, demo data) on a free port
 * with a fresh data directory, as it runs behind nginx: API only, proxy headers trusted.
 */
export async function startTickItNow(publicUrl: string): Promise<TServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tin-deploy-'));
  const port = await findFreePort();
  const running = startProcess(
    process.execPath,
    ['--import', 'tsx', 'server/src/cli.ts', 'serve'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: publicUrl,
        NODE_ENV: 'development',
        SEED_DEMO: 'true',
        LOG_LEVEL: 'warn',
        TRUST_PROXY: 'true',
        // nginx serves the web app; the API must not need it.
        SERVE_WEB: 'false',
        // Embedded defaults only, whatever the surrounding environment points at.
        DATABASE_URL: '',
        REDIS_URL: '',
        APP_SECRET: '',
        MAIL_DRIVER: 'dev-mailbox',
        STORAGE_DIR: '',
      },
    },
  );
  const stop = async () => {
    await stopProcess(running.child);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(`http://127.0.0.1:${port}/readyz`, running, 'The TickItNow server');
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, port, stop };
}

export type TNginx = {
  url: string;
  port: number;
  /** The site configuration as rendered by deploy/nginx/render.sh. */
  site: string;
  errorLog: () => string;
  stop: () => Promise<void>;
};

/**
 * Runs Debian's nginx, unprivileged, with the shipped site configuration rendered by the
 * shipped render script: a temporary prefix holds the main config, pid, logs and temp paths.
 */
export async function startNginx(options: {
  apiUpstream: string;
  webRoot: string;
  trustedProxyCidr?: string;
  /** Chosen beforehand when the upstream must know the public address. */
  port?: number;
}): Promise<TNginx> {
  if (!existsSync(nginxBinary))
    throw new Error(`nginx is not installed at ${nginxBinary} (apt-get install nginx-light).`);
  const prefix = await mkdtemp(path.join(os.tmpdir(), 'tin-nginx-'));
  // Run as root (CI), nginx's workers drop to `nobody` and must reach their temp directories.
  await chmod(prefix, 0o755);
  await mkdir(path.join(prefix, 'logs'));
  const port = options.port ?? (await findFreePort());
  const site = await renderSite({
    LISTEN: `127.0.0.1:${port}`,
    API_UPSTREAM: options.apiUpstream,
    WEB_ROOT: options.webRoot,
    TRUSTED_PROXY_CIDR: options.trustedProxyCidr ?? '127.0.0.1/32',
    NGINX_RESOLVER: '127.0.0.1',
  });
  await writeFile(path.join(prefix, 'tickitnow.conf'), site);
  const temp = (name: string) => path.join(prefix, `${name}_temp`);
  // The main config is the part a distribution or image provides; the site is ours.
  const main = `worker_processes 1;
error_log ${path.join(prefix, 'logs', 'error.log')} warn;
pid ${path.join(prefix, 'nginx.pid')};
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  sendfile on;
  access_log ${path.join(prefix, 'logs', 'access.log')};
  client_body_temp_path ${temp('client_body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  include ${path.join(prefix, 'tickitnow.conf')};
}
`;
  const conf = path.join(prefix, 'nginx.conf');
  await writeFile(conf, main);
  const errorLogPath = path.join(prefix, 'logs', 'error.log');
  const running = startProcess(
    nginxBinary,
    ['-p', prefix, '-c', conf, '-e', errorLogPath, '-g', 'daemon off; master_process on;'],
    { cwd: prefix },
  );
  const stop = async () => {
    // SIGTERM is nginx's fast shutdown: open upgraded or streaming connections do not hold it.
    await stopProcess(running.child);
    await rm(prefix, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    // /index.html is static: ready means nginx serves, whatever the upstream does.
    await waitUntilReady(`${url}/index.html`, running, 'nginx');
  } catch (error) {
    await stop();
    throw error;
  }
  const errorLog = () =>
    existsSync(errorLogPath) ? readFileSync(errorLogPath, 'utf8') : running.output();
  return { url, port, site, errorLog, stop };
}

/** Renders the site template exactly as a host install does: through deploy/nginx/render.sh. */
async function renderSite(env: Record<string, string>): Promise<string> {
  const render = startProcess('sh', [path.join(repoRoot, 'deploy', 'nginx', 'render.sh')], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
  });
  let stdout = '';
  render.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // 'close', not 'exit': every byte of stdout has been read by then.
  const code = await new Promise<number | null>((resolve) => render.child.once('close', resolve));
  if (code !== 0) throw new Error(`render.sh failed (${code}):\n${render.output()}`);
  return stdout;
}
