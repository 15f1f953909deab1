import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import {
  createEmbeddedDatabase,
  createPostgresDatabase,
} from '../../src/adapters/database/database.js';
import { migrateToLatest } from '../../src/adapters/database/migrator.js';
import { databaseUrlFor } from './postgres-url.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory; each test file opens a copy of it. */
    pgliteTemplateDir: string;
    /** A migrated PostgreSQL database each test file clones with CREATE DATABASE … TEMPLATE. */
    postgresTemplateDb: string;
  }
}

/**
 * Migrates once per run, so each test file starts from a ready schema in well under a second:
 * a copied PGlite directory, or a PostgreSQL database cloned from a template.
 */
export default async function setup(project: TestProject) {
  const target = project.config.env['TEST_TARGET'];
  if (target === 'postgres') {
    const adminUrl = process.env['TEST_DATABASE_URL'];
    if (!adminUrl) throw new Error('TEST_DATABASE_URL is required for the postgres project');
    const name = `tin_tpl_${process.pid}_${Date.now().toString(36)}`;
    const admin = createPostgresDatabase(adminUrl, 2);
    await sql.raw(`CREATE DATABASE ${name}`).execute(admin.db);
    const template = createPostgresDatabase(databaseUrlFor(adminUrl, name), 2);
    await migrateToLatest(template);
    await template.close();
    project.provide('postgresTemplateDb', name);
    project.provide('pgliteTemplateDir', '');
    return async () => {
      await sql.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).execute(admin.db);
      await admin.close();
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'tin-pglite-template-'));
  const database = await createEmbeddedDatabase(dir);
  await migrateToLatest(database);
  await database.close();
  project.provide('pgliteTemplateDir', dir);
  project.provide('postgresTemplateDb', '');
  return () => rmSync(dir, { recursive: true, force: true });
}
