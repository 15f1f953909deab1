import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TTestContext } from '../support/test-context.js';

let ctx: TTestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('schema', () => {
  it('indexes the columns of every foreign key whose parent rows are deleted on a busy path', async () => {
    // Deleting (or re-keying) a parent row looks for children through the foreign key's columns:
    // without an index that leading with them, every delete reads the whole child table.
    const { rows } = await sql<{ name: string }>`
      SELECT c.conrelid::regclass::text || '.' || string_agg(a.attname, ',' ORDER BY k.i) AS name
      FROM pg_constraint c
      CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, i)
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
      WHERE c.contype = 'f'
        AND c.connamespace = 'public'::regnamespace
        AND NOT EXISTS (
          SELECT 1 FROM pg_index i
          WHERE i.indrelid = c.conrelid
            AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
            AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey
        )
      GROUP BY c.conrelid, c.conname
      ORDER BY 1
    `.execute(ctx.db);
    // Parents the app deletes rarely or never, where a scan of the child table is acceptable:
    // users (never deleted by the app) and ticket types (deleted only while nothing was ordered).
    expect(rows.map((r) => r.name)).toEqual([
      'audit_log.actor_user_id',
      'broadcasts.created_by',
      'check_ins.scanned_by',
      'tickets.ticket_type_id',
    ]);
  });
});
