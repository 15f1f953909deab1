/**
 * Bundles each of the six function routes (src/lambda/<name>.ts) into its own small artifact,
 * dist/lambda/<name>/index.mjs (+ chunks), for `lambda.Code.fromAsset`. The AWS SDK v3 ships with the
 * Node.js 20 Lambda runtime; sharp (native) comes from a layer; PGlite is never loaded there.
 * Prints a JSON summary: bytes of each entry file and of each whole artifact.
 */
import { execFile } from 'node:child_process';
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const functionNames = [
  'send-otp',
  'subscribe',
  'create-event',
  'create-ticket',
  'get-qr-code',
  'log-activity',
] as const;

export const lambdaExternals = [
  '@aws-sdk/*',
  'sharp',
  '@electric-sql/pglite',
  'kysely-pglite-dialect',
  'pg-native',
  'pino-pretty',
];

export async function buildLambdas(outDir = path.join(root, 'dist', 'lambda')) {
  const sizes: Record<string, { entryBytes: number; totalBytes: number }> = {};
  for (const name of functionNames) {
    const dir = path.join(outDir, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await build({
      entryPoints: { index: path.join(root, 'src', 'lambda', `${name}.ts`) },
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      // Rarely used code (PDF rendering, SMTP) goes to chunks loaded on first use, keeping the
      // code a cold start must load small.
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      external: lambdaExternals,
      // Some dependencies still call require(); give the ESM bundle one.
      banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
      logLevel: 'warning',
    });
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) =>
      f.isFile(),
    );
    sizes[name] = {
      entryBytes: statSync(path.join(dir, 'index.mjs')).size,
      totalBytes: files.reduce((sum, f) => sum + statSync(path.join(f.parentPath, f.name)).size, 0),
    };
  }
  writeFileSync(path.join(outDir, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
  return sizes;
}

const run = promisify(execFile);

/**
 * Median time, over `runs` fresh Node processes, to import each bundle: what a cold start pays
 * before the first invocation builds its adapters.
 */
export async function measureColdImports(outDir: string, runs = 5) {
  const medians: Record<string, { handlerType: string; coldImportMs: number }> = {};
  for (const name of functionNames) {
    const file = path.join(outDir, name, 'index.mjs');
    const script = `const t = performance.now(); const m = await import(${JSON.stringify(file)}); console.log(JSON.stringify({ type: typeof m.handler, ms: performance.now() - t }));`;
    const samples: number[] = [];
    let handlerType = 'undefined';
    for (let i = 0; i < runs; i += 1) {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: outDir,
        env: { PATH: process.env['PATH'] ?? '' },
      });
      const result = JSON.parse(stdout.trim()) as { type: string; ms: number };
      handlerType = result.type;
      samples.push(result.ms);
    }
    samples.sort((a, b) => a - b);
    medians[name] = {
      handlerType,
      coldImportMs: Math.round((samples[Math.floor(samples.length / 2)] ?? 0) * 10) / 10,
    };
  }
  return medians;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const outDir = process.argv[2]
    ? path.resolve(process.argv[2])
    : path.join(root, 'dist', 'lambda');
  const sizes = await buildLambdas(outDir);
  const cold = process.argv.includes('--measure') ? await measureColdImports(outDir) : {};
  const summary = Object.fromEntries(
    functionNames.map((name) => [name, { ...sizes[name], ...cold[name] }]),
  );
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}
