/**
 * Bundles each of the six function routes (src/lambda/<name>.ts) into its own small artifact,
 * dist/lambda/<name>/index.mjs (+ chunks), for `lambda.Code.fromAsset`. The AWS SDK v3 ships with the
 * Node.js 20 Lambda runtime; sharp (native) comes from a layer; PGlite is never loaded there.
 * Prints a JSON summary: bytes of each entry file and of each whole artifact.
 */
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const sizes = await buildLambdas(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  process.stdout.write(`${JSON.stringify(sizes, null, 2)}\n`);
}
