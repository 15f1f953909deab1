import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root, so that relative defaults do not depend on the working directory. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const durationPattern = /^(\d+)(ms|s|m|h|d)$/;
const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration such as `10m`, `30d` or `1500ms`, parsed to milliseconds. */
const zDuration = z
  .string()
  .regex(durationPattern, 'use a number followed by ms, s, m, h or d (e.g. 10m)')
  .transform((value) => {
    const [, amount, unit] = durationPattern.exec(value) ?? [];
    return Number(amount) * unitMs[unit as keyof typeof unitMs];
  });

const zBoolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const zPositiveInt = z.coerce.number().int().positive();

const ZEnv = z.object({
  /** `production` refuses unsafe defaults (dev mailbox, generated secret, embedded database). */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Interface to listen on; containers set `0.0.0.0`. */
  HOST: z.string().min(1).default('localhost'),
  /** HTTP port of the API (and, in local mode, the web app). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The address users reach the app at; used in e-mail links. Defaults to http://localhost:PORT. */
  PUBLIC_URL: z.url().optional(),
  /** Where the embedded database, stored files and the generated secret live. */
  DATA_DIR: z.string().min(1).default(path.join(repoRoot, 'data')),
  /** PostgreSQL connection string; when unset the embedded PGlite database in DATA_DIR is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  /** Maximum connections per instance to PostgreSQL. */
  DATABASE_POOL_SIZE: zPositiveInt.default(10),
  /** Lets NODE_ENV=production run on the embedded database (a single-host install). */
  ALLOW_EMBEDDED_DATABASE: zBoolean.default(false),
  /** Redis connection string for cache, rate limits and the sale gate; in-process when unset. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  /** Prefix for every Redis key, so several deployments can share one Redis. */
  REDIS_KEY_PREFIX: z.string().default('tin:'),
  /** Secret for signing sessions, URLs and encrypting event keys (at least 32 characters). */
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * `dev-mailbox` stores mail for /dev/mailbox; `smtp` sends through SMTP_URL; `sns` publishes
   * each message to SNS_TOPIC_ARN (AWS), whose subscribers deliver it.
   */
  MAIL_DRIVER: z.enum(['dev-mailbox', 'smtp', 'sns']).default('dev-mailbox'),
  /** SNS topic for MAIL_DRIVER=sns. */
  SNS_TOPIC_ARN: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:/, 'must be an SNS topic ARN')
    .optional(),
  /** AWS region of every AWS client (S3, SNS, DynamoDB, Step Functions). */
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1')
    .default('us-east-1'),
  /** `local` keeps files under STORAGE_DIR; `s3` stores them in S3_BUCKET. */
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  /** Bucket for STORAGE_DRIVER=s3. */
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name')
    .optional(),
  /** Endpoint of an S3-compatible store (MinIO, R2…); leave unset for AWS S3. */
  S3_ENDPOINT: z.url({ error: 'must be a URL' }).optional(),
  /** Path-style URLs (`endpoint/bucket/key`); defaults to true when S3_ENDPOINT is set. */
  S3_FORCE_PATH_STYLE: zBoolean.optional(),
  /** Key prefix inside the bucket. */
  S3_PREFIX: z
    .string()
    .regex(/^([a-z0-9-]+\/)*$/, 'lower-case folders ending in /')
    .default(''),
  /** Keys for an S3-compatible store; on AWS leave unset and use the instance or function role. */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** `database` keeps the activity log in PostgreSQL; `dynamodb` in DYNAMODB_ACTIVITY_TABLE. */
  ACTIVITY_DRIVER: z.enum(['database', 'dynamodb']).default('database'),
  /** DynamoDB table for ACTIVITY_DRIVER=dynamodb. */
  DYNAMODB_ACTIVITY_TABLE: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a table name')
    .optional(),
  /** Endpoint of a DynamoDB-compatible server; leave unset for AWS. */
  DYNAMODB_ENDPOINT: z.url({ error: 'must be a URL' }).optional(),
  /** How long raw activity rows are kept in DynamoDB before its TTL removes them. */
  ACTIVITY_RETENTION: zDuration.default(400 * unitMs.d),
  /** `local` runs workflows on the job queue; `stepfunctions` starts SUBSCRIBE_STATE_MACHINE_ARN. */
  WORKFLOW_DRIVER: z.enum(['local', 'stepfunctions']).default('local'),
  /** State machine of the subscribe workflow for WORKFLOW_DRIVER=stepfunctions. */
  SUBSCRIBE_STATE_MACHINE_ARN: z
    .string()
    .regex(/^arn:aws[a-z-]*:states:/, 'must be a Step Functions state machine ARN')
    .optional(),
  /** SMTP server, e.g. smtp://user:pass@host:587 (required when MAIL_DRIVER=smtp). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** Sender of every e-mail. */
  MAIL_FROM: z.string().min(3).default('TickItNow <no-reply@tickitnow.localhost>'),
  /** Where the local storage driver keeps files; defaults to DATA_DIR/files. */
  STORAGE_DIR: z.string().min(1).optional(),
  /** How long a session lasts without being used. */
  SESSION_TTL: zDuration.default(30 * unitMs.d),
  /** How long a sign-in code is valid. */
  OTP_TTL: zDuration.default(10 * unitMs.m),
  /** Sign-in code requests allowed per e-mail address per OTP_RATE_WINDOW. */
  OTP_RATE_PER_EMAIL: zPositiveInt.default(5),
  /** Sign-in code requests and verifications allowed per client IP per OTP_RATE_WINDOW. */
  OTP_RATE_PER_IP: zPositiveInt.default(30),
  /** Window of the sign-in rate limits. */
  OTP_RATE_WINDOW: zDuration.default(15 * unitMs.m),
  /** How long an unpaid order holds its tickets before they return to sale. */
  HOLD_TTL: zDuration.default(10 * unitMs.m),
  /** How long a running payment call keeps its order's hold from expiring underneath it. */
  PAYMENT_LEASE: zDuration.default(2 * unitMs.m),
  /** How long a waiting-list offer keeps a released ticket for the person invited. */
  WAITLIST_OFFER_TTL: zDuration.default(24 * unitMs.h),
  /** How long before an event starts its ticket holders get the reminder e-mail. */
  REMINDER_LEAD: zDuration.default(24 * unitMs.h),
  /** How long a subscription confirmation link stays valid. */
  SUBSCRIPTION_CONFIRM_TTL: zDuration.default(2 * unitMs.d),
  /** Run background jobs (e-mails, hold expiry) inside the API process; `false` when a separate `worker` runs them. */
  WORKERS_IN_PROCESS: zBoolean.default(true),
  /** How often an idle worker looks for due jobs. */
  WORKER_POLL_INTERVAL: zDuration.default(500),
  /**
   * Scheduling niceness of a separate `worker` process (0–19): on a host it shares with API
   * instances, e-mails and PDFs yield the CPU to requests and catch up when the burst is over.
   */
  WORKER_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
  /** Largest accepted JSON body in bytes. */
  BODY_LIMIT: zPositiveInt.default(1024 * 1024),
  /** Largest accepted image upload in bytes. */
  IMAGE_MAX_BYTES: zPositiveInt.default(10 * 1024 * 1024),
  /** Lifetime of signed file URLs (event images get day-aligned URLs so browsers can cache them). */
  SIGNED_URL_TTL: zDuration.default(15 * unitMs.m),
  /** Trust X-Forwarded-* headers (set behind nginx or a load balancer). */
  TRUST_PROXY: zBoolean.default(false),
  /** Serve the built web app from WEB_DIST (local mode). */
  SERVE_WEB: zBoolean.default(true),
  /** The built web app. */
  WEB_DIST: z
    .string()
    .min(1)
    .default(path.join(repoRoot, 'web', 'dist')),
  /** Seed the demo organizer and events when the database is empty. */
  SEED_DEMO: zBoolean.optional(),
  /** `fatal`…`trace`; `silent` turns logging off. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type TConfig = Readonly<{
  env: 'development' | 'production' | 'test';
  isProduction: boolean;
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  database:
    | { kind: 'pglite'; dataDir: string | null }
    | { kind: 'postgres'; url: string; poolSize: number };
  redis: { url: string; keyPrefix: string } | null;
  appSecret: string;
  isAppSecretGenerated: boolean;
  mail:
    | { driver: 'dev-mailbox' }
    | { driver: 'smtp'; url: string }
    | { driver: 'sns'; topicArn: string };
  awsRegion: string;
  activity:
    | { driver: 'database' }
    | { driver: 'dynamodb'; table: string; endpoint: string | null; retentionMs: number };
  workflows: { driver: 'local' } | { driver: 'stepfunctions'; subscribeStateMachineArn: string };
  mailFrom: string;
  storage:
    | { driver: 'local'; dir: string }
    | {
        driver: 's3';
        /** Where the dev mailbox keeps attachments when it is used beside S3. */
        dir: string;
        bucket: string;
        endpoint: string | null;
        forcePathStyle: boolean;
        prefix: string;
        credentials: { accessKeyId: string; secretAccessKey: string } | null;
      };
  sessionTtlMs: number;
  otp: { ttlMs: number; perEmail: number; perIp: number; windowMs: number };
  bodyLimit: number;
  imageMaxBytes: number;
  signedUrlTtlMs: number;
  holdTtlMs: number;
  paymentLeaseMs: number;
  waitlistOfferTtlMs: number;
  reminderLeadMs: number;
  subscriptionConfirmTtlMs: number;
  workers: { inProcess: boolean; pollIntervalMs: number; niceness: number };
  trustProxy: boolean;
  web: { serve: boolean; dist: string };
  seedDemo: boolean;
  logLevel: z.infer<typeof ZEnv>['LOG_LEVEL'];
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the environment once into a typed, frozen config. Every problem is collected and
 * reported together, so an operator fixes them in one go rather than one restart at a time.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  options: { persistSecret?: boolean } = {},
): TConfig {
  const raw: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== ''),
  );
  const parsed = ZEnv.safeParse(raw);
  // Cross-field rules read the raw values, so they are reported together with format errors.
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
    ...crossFieldProblems(raw),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';

  const isTest = e.NODE_ENV === 'test';
  const secret =
    e.APP_SECRET ??
    (isTest || !options.persistSecret ? randomSecret() : readOrCreateSecret(e.DATA_DIR));

  return Object.freeze({
    env: e.NODE_ENV,
    isProduction,
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dataDir: e.DATA_DIR,
    database: e.DATABASE_URL
      ? { kind: 'postgres' as const, url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'pglite' as const, dataDir: path.join(e.DATA_DIR, 'pg') },
    redis: e.REDIS_URL ? { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX } : null,
    appSecret: secret,
    isAppSecretGenerated: !e.APP_SECRET,
    mail:
      e.MAIL_DRIVER === 'smtp'
        ? { driver: 'smtp' as const, url: e.SMTP_URL ?? '' }
        : e.MAIL_DRIVER === 'sns'
          ? { driver: 'sns' as const, topicArn: e.SNS_TOPIC_ARN ?? '' }
          : { driver: 'dev-mailbox' as const },
    awsRegion: e.AWS_REGION,
    activity:
      e.ACTIVITY_DRIVER === 'dynamodb'
        ? {
            driver: 'dynamodb' as const,
            table: e.DYNAMODB_ACTIVITY_TABLE ?? '',
            endpoint: e.DYNAMODB_ENDPOINT ?? null,
            retentionMs: e.ACTIVITY_RETENTION,
          }
        : { driver: 'database' as const },
    workflows:
      e.WORKFLOW_DRIVER === 'stepfunctions'
        ? {
            driver: 'stepfunctions' as const,
            subscribeStateMachineArn: e.SUBSCRIBE_STATE_MACHINE_ARN ?? '',
          }
        : { driver: 'local' as const },
    mailFrom: e.MAIL_FROM,
    storage:
      e.STORAGE_DRIVER === 's3'
        ? {
            driver: 's3' as const,
            dir: e.STORAGE_DIR ?? path.join(e.DATA_DIR, 'files'),
            bucket: e.S3_BUCKET ?? '',
            endpoint: e.S3_ENDPOINT ?? null,
            forcePathStyle: e.S3_FORCE_PATH_STYLE ?? e.S3_ENDPOINT !== undefined,
            prefix: e.S3_PREFIX,
            credentials:
              e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
                ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
                : null,
          }
        : { driver: 'local' as const, dir: e.STORAGE_DIR ?? path.join(e.DATA_DIR, 'files') },
    sessionTtlMs: e.SESSION_TTL,
    otp: {
      ttlMs: e.OTP_TTL,
      perEmail: e.OTP_RATE_PER_EMAIL,
      perIp: e.OTP_RATE_PER_IP,
      windowMs: e.OTP_RATE_WINDOW,
    },
    bodyLimit: e.BODY_LIMIT,
    imageMaxBytes: e.IMAGE_MAX_BYTES,
    signedUrlTtlMs: e.SIGNED_URL_TTL,
    holdTtlMs: e.HOLD_TTL,
    paymentLeaseMs: e.PAYMENT_LEASE,
    waitlistOfferTtlMs: e.WAITLIST_OFFER_TTL,
    reminderLeadMs: e.REMINDER_LEAD,
    subscriptionConfirmTtlMs: e.SUBSCRIPTION_CONFIRM_TTL,
    workers: {
      inProcess: e.WORKERS_IN_PROCESS,
      pollIntervalMs: e.WORKER_POLL_INTERVAL,
      niceness: e.WORKER_NICENESS,
    },
    trustProxy: e.TRUST_PROXY,
    web: { serve: e.SERVE_WEB, dist: e.WEB_DIST },
    seedDemo: e.SEED_DEMO ?? (!isProduction && !isTest),
    logLevel: e.LOG_LEVEL,
  });
}

function crossFieldProblems(raw: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const mailDriver = raw['MAIL_DRIVER'] ?? 'dev-mailbox';
  if (mailDriver === 'smtp' && !raw['SMTP_URL'])
    problems.push('SMTP_URL: required when MAIL_DRIVER=smtp');
  if (mailDriver === 'sns' && !raw['SNS_TOPIC_ARN'])
    problems.push('SNS_TOPIC_ARN: required when MAIL_DRIVER=sns');
  if (raw['STORAGE_DRIVER'] === 's3' && !raw['S3_BUCKET'])
    problems.push('S3_BUCKET: required when STORAGE_DRIVER=s3');
  if (Boolean(raw['S3_ACCESS_KEY_ID']) !== Boolean(raw['S3_SECRET_ACCESS_KEY']))
    problems.push('S3_ACCESS_KEY_ID: set it together with S3_SECRET_ACCESS_KEY, or neither');
  if (raw['ACTIVITY_DRIVER'] === 'dynamodb' && !raw['DYNAMODB_ACTIVITY_TABLE'])
    problems.push('DYNAMODB_ACTIVITY_TABLE: required when ACTIVITY_DRIVER=dynamodb');
  if (raw['WORKFLOW_DRIVER'] === 'stepfunctions' && !raw['SUBSCRIBE_STATE_MACHINE_ARN'])
    problems.push('SUBSCRIBE_STATE_MACHINE_ARN: required when WORKFLOW_DRIVER=stepfunctions');
  if (raw['NODE_ENV'] === 'production') {
    if (mailDriver === 'dev-mailbox')
      problems.push(
        'MAIL_DRIVER: the dev mailbox is not allowed in production; set MAIL_DRIVER=smtp and SMTP_URL (or sns)',
      );
    if (!raw['APP_SECRET'])
      problems.push('APP_SECRET: required in production (a generated secret is not allowed)');
    if (!raw['DATABASE_URL'] && !['true', '1'].includes(raw['ALLOW_EMBEDDED_DATABASE'] ?? ''))
      problems.push('DATABASE_URL: required in production (or set ALLOW_EMBEDDED_DATABASE=true)');
    if (!raw['PUBLIC_URL'])
      problems.push('PUBLIC_URL: required in production (used in e-mail links)');
  }
  return problems;
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** On a laptop the secret is generated once and kept beside the data, so sessions survive restarts. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'app-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomSecret();
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
