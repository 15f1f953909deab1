import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Code } from 'aws-cdk-lib/aws-lambda';
import type { TFunctionRoute } from './function-routes.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Where the server's Lambda build puts one function's bundle (index.mjs exporting `handler`). */
export function functionBundleDir(route: Pick<TFunctionRoute, 'name'>, root = repoRoot): string {
  return path.join(root, 'server', 'dist', 'lambda', route.name);
}

export type TFunctionCode = { code: Code; isBuilt: boolean };

let pendingRoot: string | undefined;

/**
 * The code of one function route: its built bundle when it exists. Until the Lambda handlers are
 * built, a stand-in that answers 503 `function_not_built` keeps the templates synthesizable; the
 * app warns about it and `-c requireBuiltFunctions=true` (used for deploys) refuses it.
 */
export function functionCode(route: TFunctionRoute, root = repoRoot): TFunctionCode {
  const bundle = functionBundleDir(route, root);
  if (existsSync(path.join(bundle, 'index.mjs')))
    return { code: Code.fromAsset(bundle), isBuilt: true };
  pendingRoot ??= mkdtempSync(path.join(os.tmpdir(), 'tin-pending-functions-'));
  const dir = path.join(pendingRoot, route.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'index.mjs'),
    `// ${route.path} has not been built (npm run build:lambda -w server).\n` +
      `export const handler = async () => ({ statusCode: 503, headers: { 'content-type': 'application/json' }, ` +
      `body: JSON.stringify({ error: 'function_not_built', message: '${route.name} is not deployed yet.' }) });\n`,
  );
  return { code: Code.fromAsset(dir), isBuilt: false };
}
