import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * Lambda has no secret injection, so the function stack passes secrets by ARN and they are read
 * once per cold start into the variables `loadConfig` expects (never logged, never in the
 * function's configuration):
 * - `APP_SECRET_ARN` → `APP_SECRET`; `SMTP_URL_SECRET_ARN` → `SMTP_URL` (plain strings);
 * - `DATABASE_SECRET_ARN` (the RDS JSON: username, password, host, port, dbname) → `DATABASE_URL`;
 * - `REDIS_AUTH_TOKEN_SECRET_ARN` with `REDIS_HOST` → `REDIS_URL` (TLS, `rediss://`).
 * Variables already set win, so a test or a local run can pass them directly.
 */
export async function resolveSecretEnv(
  env: NodeJS.ProcessEnv,
  client: SecretsManagerClient = new SecretsManagerClient({}),
): Promise<NodeJS.ProcessEnv> {
  const read = async (arn: string) => {
    const res = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!res.SecretString) throw new Error(`secret ${arn} has no string value`);
    return res.SecretString;
  };
  const resolved: NodeJS.ProcessEnv = { ...env };
  const tasks: Promise<void>[] = [];
  if (env['APP_SECRET_ARN'] && !env['APP_SECRET'])
    tasks.push(read(env['APP_SECRET_ARN']).then((v) => void (resolved['APP_SECRET'] = v)));
  if (env['SMTP_URL_SECRET_ARN'] && !env['SMTP_URL'])
    tasks.push(read(env['SMTP_URL_SECRET_ARN']).then((v) => void (resolved['SMTP_URL'] = v)));
  if (env['DATABASE_SECRET_ARN'] && !env['DATABASE_URL'])
    tasks.push(
      read(env['DATABASE_SECRET_ARN']).then((v) => {
        const s = JSON.parse(v) as {
          username: string;
          password: string;
          host: string;
          port?: number | string;
          dbname?: string;
        };
        const user = encodeURIComponent(s.username);
        const password = encodeURIComponent(s.password);
        resolved['DATABASE_URL'] =
          `postgres://${user}:${password}@${s.host}:${s.port ?? 5432}/${s.dbname ?? 'tickitnow'}?sslmode=require`;
      }),
    );
  if (env['REDIS_AUTH_TOKEN_SECRET_ARN'] && env['REDIS_HOST'] && !env['REDIS_URL']) {
    const host = env['REDIS_HOST'];
    tasks.push(
      read(env['REDIS_AUTH_TOKEN_SECRET_ARN']).then((token) => {
        resolved['REDIS_URL'] = `rediss://:${encodeURIComponent(token)}@${host}:6379`;
      }),
    );
  }
  await Promise.all(tasks);
  return resolved;
}
