import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildLambdas, measureColdImports } from '../../server/scripts/build-lambdas.js';

export type TLambdaFigures = Record<
  string,
  { entryBytes: number; totalBytes: number; coldImportMs: number }
>;

/**
 * Issue 6's figures: each function route's esbuild bundle (entry and whole artifact) and the
 * median time a fresh Node process needs to import it — the code part of a Lambda cold start.
 */
export async function measureLambdas(repoRoot: string): Promise<TLambdaFigures> {
  // Built inside server/ so externals (sharp) resolve as a Lambda layer would provide them.
  const outDir = mkdtempSync(path.join(repoRoot, 'server', '.lambda-bench-'));
  try {
    const sizes = await buildLambdas(outDir);
    const cold = await measureColdImports(outDir, 5);
    return Object.fromEntries(
      Object.entries(sizes).map(([name, size]) => [
        name,
        { ...size, coldImportMs: cold[name]?.coldImportMs ?? 0 },
      ]),
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
