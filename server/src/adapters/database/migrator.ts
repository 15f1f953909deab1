import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { TDatabase, TDb } from './database.js';

/** Timestamped plain-SQL migrations; never edited once landed. Copied beside the build output. */
export const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Reads `<timestamp>_<name>.sql` files; Kysely's Migrator orders, locks and records them. */
class SqlFileMigrationProvider implements MigrationProvider {
  constructor(
    private readonly database: TDatabase,
    private readonly dir: string,
  ) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.dir))
      .filter((f) => /^\d{14}_[a-z0-9_]+\.sql$/.test(f))
      .sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const script = await readFile(`${this.dir}/${file}`, 'utf8');
      migrations[file.replace(/\.sql$/, '')] = {
        up: (db) => this.database.executeScript(script, db as TDb),
      };
    }
    return migrations;
  }
}

/** Applies every pending migration in one transaction; throws with the failing migration's error. */
export async function migrateToLatest(database: TDatabase, dir = migrationsDir): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: new SqlFileMigrationProvider(database, dir),
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
