import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLambdas, functionNames, measureColdImports } from '../../scripts/build-lambdas.js';

describe('Lambda bundles (esbuild, one artifact per function route)', () => {
  // Inside the server folder, so the bundles resolve the externals (sharp) as Lambda layers would.
  const outDir = mkdtempSync(path.join(path.resolve('.'), '.lambda-test-'));
  let sizes: Awaited<ReturnType<typeof buildLambdas>>;
  beforeAll(async () => {
    sizes = await buildLambdas(outDir);
  }, 120_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('builds all six, each small enough to start quickly', () => {
    expect(Object.keys(sizes).sort()).toEqual([...functionNames].sort());
    for (const name of functionNames) {
      // The entry a cold start loads; PDF rendering and SMTP live in lazily loaded chunks.
      expect(sizes[name]?.entryBytes, name).toBeLessThan(2 * 1024 * 1024);
      expect(sizes[name]?.totalBytes, name).toBeLessThan(4 * 1024 * 1024);
    }
  });

  it('each bundle imports in a fresh Node process and exports a handler, without PGlite', async () => {
    const cold = await measureColdImports(outDir, 1);
    for (const name of functionNames) {
      expect(cold[name]?.handlerType, name).toBe('function');
      // PGlite (WebAssembly) is only ever loaded by a dynamic import on the embedded database.
      const entry = readFileSync(path.join(outDir, name, 'index.mjs'), 'utf8');
      expect(entry, name).not.toMatch(/from\s*"@electric-sql\/pglite"/);
      expect(entry, name).not.toMatch(/from\s*"pdfkit"|pdfkit\/js\/data/);
    }
  }, 120_000);
});
