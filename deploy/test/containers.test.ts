import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from './support/processes.js';

/**
 * The container files, checked without a Docker engine: compose validates with the Docker
 * client's own parser, and the Dockerfiles only copy what exists and run unprivileged.
 */

/** `docker compose` (the v2 plugin) when installed, else Debian's `docker-compose`. */
function composeCommand(): string[] {
  const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (plugin.status === 0) return ['docker', 'compose'];
  const standalone = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  if (standalone.status === 0) return ['docker-compose'];
  throw new Error(
    'Neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose).',
  );
}

function compose(args: string[], env: Record<string, string>) {
  const [command = 'docker', ...prefix] = composeCommand();
  return spawnSync(command, [...prefix, '-f', path.join(repoRoot, 'compose.yaml'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    // Only what the test gives: no APP_SECRET or .env of the machine leaks in.
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/', ...env },
  });
}

const secret = { APP_SECRET: 'a-test-secret-that-is-long-enough-0123456789' };

/** The stages and instructions of a Dockerfile, one logical line each. */
function dockerfile(file: string) {
  const text = readFileSync(path.join(repoRoot, file), 'utf8').replace(/\\\n/g, ' ');
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages = lines
    .filter((line) => /^FROM /i.test(line))
    .map((line) => /\sAS\s+(\S+)/i.exec(line)?.[1])
    .filter((name): name is string => Boolean(name));
  const lastFrom = lines.findLastIndex((line) => /^FROM /i.test(line));
  return { lines, stages, finalStage: lines.slice(lastFrom) };
}

describe('compose.yaml', () => {
  test('is valid for the Docker client (`config -q`)', () => {
    const result = compose(['config', '-q'], secret);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('has the whole stack: PostgreSQL, Redis, migrations, API, worker and web', () => {
    const result = compose(['config', '--services'], secret);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').sort()).toEqual(
      ['api', 'migrate', 'postgres', 'redis', 'web', 'worker'].sort(),
    );
    const volumes = compose(['config', '--volumes'], secret);
    expect(volumes.stdout.trim().split('\n').sort()).toEqual(['files', 'pgdata', 'redisdata']);
  });

  test('starts the API only after healthy databases and finished migrations', () => {
    const resolved = compose(['config'], secret).stdout;
    expect(resolved).toMatch(/image: postgres:16/);
    expect(resolved).toContain('condition: service_completed_successfully');
    expect(resolved).toContain('condition: service_healthy');
    expect(resolved).toContain('pg_isready');
    expect(resolved).toContain('redis-cli');
    expect(resolved).toContain('/readyz');
    expect(resolved).toContain(
      'DATABASE_URL: postgres://tickitnow:tickitnow@postgres:5432/tickitnow',
    );
    expect(resolved).toContain('REDIS_URL: redis://redis:6379');
  });

  test('refuses to run without a shared APP_SECRET', () => {
    const result = compose(['config', '-q'], {});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('APP_SECRET');
  });
});

describe('Dockerfiles', () => {
  for (const file of ['Dockerfile', 'deploy/web.Dockerfile']) {
    test(`${file} copies only files that exist, from stages that exist`, () => {
      const { lines, stages } = dockerfile(file);
      const copies = lines.filter((line) => /^COPY /i.test(line));
      expect(copies.length).toBeGreaterThan(0);
      for (const copy of copies) {
        const words = copy.split(/\s+/).slice(1);
        const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
        const paths = words.filter((w) => !w.startsWith('--'));
        if (from) {
          expect(stages, copy).toContain(from);
          continue;
        }
        for (const source of paths.slice(0, -1))
          expect(existsSync(path.join(repoRoot, source)), `${copy}: ${source}`).toBe(true);
      }
    });
  }

  test('the backend image runs unprivileged, production dependencies only, with a health check', () => {
    const { lines, finalStage } = dockerfile('Dockerfile');
    expect(lines.some((l) => /npm ci .*--omit=dev/.test(l))).toBe(true);
    expect(finalStage.filter((l) => /^USER /.test(l)).at(-1)).toBe('USER node');
    expect(finalStage.some((l) => /^HEALTHCHECK .*\/healthz/.test(l))).toBe(true);
    expect(
      finalStage.some((l) =>
        /^ENTRYPOINT \["node", "--min-semi-space-size=32", "server\/dist\/cli.js"\]/.test(l),
      ),
    ).toBe(true);
    // The compiled migrator looks for its SQL files beside the build output.
    expect(
      lines.some((l) => l.includes('cp -r server/src/migrations server/dist/migrations')),
    ).toBe(true);
    // The runtime stage gets no dev dependencies and no sources.
    expect(finalStage.some((l) => /COPY --from=build \/app\/node_modules/.test(l))).toBe(false);
  });

  test('the web image is nginx with the shipped site template, unprivileged', () => {
    const { finalStage } = dockerfile('deploy/web.Dockerfile');
    expect(finalStage[0]).toMatch(/^FROM \$\{NGINX_IMAGE\}/);
    expect(
      finalStage.some((l) => l.includes('tickitnow.conf.template /etc/nginx/templates/')),
    ).toBe(true);
    expect(finalStage.filter((l) => /^USER /.test(l)).at(-1)).toBe('USER nginx');
    expect(finalStage.some((l) => /^HEALTHCHECK /.test(l))).toBe(true);
  });

  test('.dockerignore keeps dependencies, builds and local data out of the context', () => {
    const ignored = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', 'data', '.env', '.git'])
      expect(ignored).toContain(entry);
  });

  test('the resolver hook finds the container DNS server for nginx', () => {
    const hook = path.join(
      repoRoot,
      'deploy/nginx/docker-entrypoint.d/15-tickitnow-resolver.envsh',
    );
    const result = spawnSync('sh', ['-c', `. "${hook}" && printf %s "$NGINX_RESOLVER"`], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+\.\d+/);
    const given = spawnSync('sh', ['-c', `. "${hook}" && printf %s "$NGINX_RESOLVER"`], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NGINX_RESOLVER: '169.254.169.253' },
    });
    expect(given.stdout).toBe('169.254.169.253');
  });
});
