import fc from 'fast-check';
import { sql } from 'kysely';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { functionRoutes } from '../../src/lambda/function-routes.js';
import { createTestContext, testTarget, type TTestContext } from '../support/test-context.js';
import {
  addMember,
  buyTickets,
  makeEvent,
  makeOrganizer,
  makeTicketType,
  signIn,
  uniqueEmail,
  type TSignedIn,
} from '../support/factories.js';
import sharp from 'sharp';
import { makeImage, makePixelBomb } from '../support/images.js';
import { arbitraryFromSchema, type TJsonSchema } from '../support/schema-arbitrary.js';
import {
  deepJson,
  hostileKeys,
  hostileStringArb,
  hostileStrings,
  hugeStringArb,
  markerPlaceholder,
  wrongTypeValues,
} from '../support/hostile-values.js';

/**
 * Hostile input (issue 9, item 2): requests generated from every operation of the OpenAPI
 * document, then broken on purpose, sent anonymously and with the session of an organizer owner.
 * Whatever arrives, the API answers below 500, refuses with the JSON error shape, and a refusal
 * changes no data.
 */

const seed = 20_261_125;
/** Generated requests per operation; with the 61 operations of the document, 10,370 in all. */
const runsPerOperation = 170;
const mainTables = [
  'users',
  'sessions',
  'otp_codes',
  'organizers',
  'organizer_members',
  'events',
  'event_keys',
  'ticket_types',
  'orders',
  'order_items',
  'tickets',
  'check_ins',
  'waitlist_entries',
  'subscriptions',
  'broadcasts',
  'broadcast_deliveries',
  'activity',
  'audit_log',
  'jobs',
  'dev_mail',
] as const;

type TParam = { name: string; in: 'path' | 'query'; schema: TJsonSchema; required: boolean };
type TOperation = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  params: TParam[];
  body: { kind: 'json'; schema: TJsonSchema } | { kind: 'image' } | { kind: 'none' };
};
type TIdentity = 'anonymous' | 'bearer' | 'cookie';
type TMutation =
  | { kind: 'none' }
  | { kind: 'wrongType'; target: number; value: unknown }
  | { kind: 'missing'; target: number }
  | { kind: 'extraKey'; target: number; key: string; value: unknown }
  | { kind: 'hostileString'; target: number; value: string }
  | { kind: 'huge'; target: number; value: string }
  | { kind: 'deep'; target: number; shape: 'object' | 'array' }
  | { kind: 'queryKey'; key: string; value: string }
  | { kind: 'pathSegment'; target: number; value: string; encode: boolean }
  | { kind: 'rawBody'; contentType: string | null; payload: string }
  | { kind: 'header'; name: string; value: string };
type TGenerated = {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  identity: TIdentity;
  ip: string;
  mutations: TMutation[];
};
type TFixture = {
  owner: TSignedIn;
  organizerId: string;
  eventId: string;
  ticketTypeId: string;
  orderId: string;
  ticketId: string;
  memberUserId: string;
};

let ctx: TTestContext;
let operations: TOperation[];
let resolveRef: (ref: string) => TJsonSchema;
let requestCount = 0;
let markerCount = 0;
const statusCounts = new Map<string, number>();
/** Accepted requests that wrote rows: proof that the write instrumentation sees writes at all. */
let acceptedWrites = 0;
const perOperationCounts = new Map<string, number>();

beforeAll(async () => {
  ctx = await createTestContext({ env: { IMAGE_MAX_BYTES: String(2 * 1024 * 1024) } });
  const doc = ctx.app.swagger() as unknown as {
    paths: Record<string, Record<string, TOpenApiOperation>>;
    components?: { schemas?: Record<string, TJsonSchema> };
  };
  const schemas = doc.components?.schemas ?? {};
  resolveRef = (ref) => {
    const schema = schemas[ref.replace('#/components/schemas/', '')];
    if (!schema) throw new Error(`unknown $ref ${ref}`);
    return schema;
  };
  operations = operationsFromDocument(doc.paths);
  await instrumentWrites();
}, 60_000);
afterAll(async () => {
  console.info(
    `hostile-input: ${requestCount} generated requests across ${perOperationCounts.size} operations (${testTarget}); by status: ${JSON.stringify(Object.fromEntries(statusCounts))}; accepted writes: ${acceptedWrites}`,
  );
  await ctx.close();
});

type TOpenApiOperation = {
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: TJsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: TJsonSchema }> };
};

/** Every operation of the document; `/fn/*` take their input schema from the function route. */
function operationsFromDocument(paths: Record<string, Record<string, TOpenApiOperation>>) {
  const list: TOperation[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const upper = method.toUpperCase() as TOperation['method'];
      const params: TParam[] = (operation.parameters ?? [])
        .filter((p) => p.in === 'path' || p.in === 'query')
        .map((p) => ({
          name: p.name,
          in: p.in as 'path' | 'query',
          schema: p.schema ?? {},
          required: p.required ?? false,
        }));
      let body: TOperation['body'] = { kind: 'none' };
      const jsonBody = operation.requestBody?.content?.['application/json']?.schema;
      if (jsonBody) body = { kind: 'json', schema: jsonBody };
      if (path.endsWith('/image') && upper === 'PUT') body = { kind: 'image' };
      if (path.startsWith('/fn/')) {
        const route = functionRoutes.find((r) => `/fn/${r.name}` === path);
        if (!route) throw new Error(`no function route behind ${path}`);
        const schema = z.toJSONSchema(route.input, {
          io: 'input',
          unrepresentable: 'any',
        }) as TJsonSchema;
        if (route.method === 'GET') {
          for (const [name, s] of Object.entries(schema.properties ?? {}))
            params.push({ name, in: 'query', schema: s, required: true });
        } else {
          body = { kind: 'json', schema };
        }
      }
      list.push({ method: upper, path, params, body });
    }
  }
  return list;
}

/** A fresh owner with an organizer, a published event, a ticket type, a paid order and a staff member. */
async function makeFixture(): Promise<TFixture> {
  const owner = await signIn(ctx, uniqueEmail('fuzz-owner'));
  const organizer = await makeOrganizer(ctx, owner, 'Fuzz Organizer');
  const event = await makeEvent(ctx, owner, organizer.id, { publish: true });
  const ticketType = await makeTicketType(ctx, owner, event.id, {
    capacity: 100_000,
    maxPerOrder: 100,
  });
  const order = await buyTickets(ctx, owner, event.id, ticketType.id, 1);
  const member = await addMember(ctx, owner, organizer.id, 'staff');
  const ticket = order.tickets[0];
  if (!ticket) throw new Error('the fixture order has no ticket');
  return {
    owner,
    organizerId: organizer.id,
    eventId: event.id,
    ticketTypeId: ticketType.id,
    orderId: order.id,
    ticketId: ticket.id,
    memberUserId: member.userId,
  };
}

/** The real id a path parameter most likely names, so authorized code paths are reached. */
function knownPathValue(operation: TOperation, name: string, fixture: TFixture): string[] {
  if (name === 'userId') return [fixture.memberUserId, fixture.owner.userId];
  if (name === 'ticketId') return [fixture.ticketId];
  const segment = /^\/api\/v1\/([a-z-]+)\/\{id\}/.exec(operation.path)?.[1];
  switch (segment ?? '') {
    case 'organizers':
      return [fixture.organizerId];
    case 'events':
      return [fixture.eventId];
    case 'ticket-types':
      return [fixture.ticketTypeId];
    case 'orders':
      return [fixture.orderId];
    case 'tickets':
      return [fixture.ticketId];
    default:
      return [];
  }
}

const hostileValueArb: fc.Arbitrary<unknown> = fc.oneof(
  hostileStringArb,
  fc.constantFrom(...wrongTypeValues),
  fc.constant({ polluted: markerPlaceholder }),
  fc.constant({ prototype: { polluted: markerPlaceholder } }),
);

const ipArb = fc
  .tuple(fc.integer({ min: 1, max: 250 }), fc.integer({ min: 0, max: 255 }), fc.nat(255))
  .map(([a, b, c]) => `10.${a}.${b}.${c}`);

const rawBodies: readonly { contentType: string | null; payload: string }[] = [
  { contentType: 'application/json', payload: '{"a":' },
  { contentType: 'application/json', payload: '' },
  { contentType: 'application/json', payload: 'null' },
  { contentType: 'application/json', payload: '[]' },
  { contentType: 'application/json', payload: '"MRKPLACE"' },
  { contentType: 'application/json', payload: '1e999' },
  { contentType: 'application/json', payload: '\uFEFF{}' },
  { contentType: 'application/json', payload: '{"a":1,"a":2}' },
  { contentType: 'application/json', payload: '{"__proto__":{"polluted":"MRKPLACE"}}' },
  {
    contentType: 'application/json',
    payload: '{"constructor":{"prototype":{"polluted":"MRKPLACE"}}}',
  },
  { contentType: 'application/json', payload: JSON.stringify(deepJson(1000, 'object')) },
  { contentType: 'application/json', payload: JSON.stringify(deepJson(1000, 'array')) },
  {
    contentType: 'application/json',
    payload: `${'['.repeat(10_000)}"MRKPLACE"${']'.repeat(10_000)}`,
  },
  { contentType: 'application/json', payload: `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}` },
  { contentType: 'application/json', payload: '{"name":"\\u0000MRKPLACE"}' },
  { contentType: 'application/json; charset=utf-16', payload: '{}' },
  { contentType: 'text/plain', payload: '{"name":"MRKPLACE"}' },
  { contentType: 'application/xml', payload: '<a>MRKPLACE</a>' },
  { contentType: 'application/x-www-form-urlencoded', payload: 'a=1&__proto__[polluted]=1' },
  { contentType: 'multipart/form-data', payload: '--x\r\n\r\nMRKPLACE' },
  { contentType: 'text/csv', payload: '=cmd|MRKPLACE' },
  { contentType: null, payload: 'MRKPLACE' },
];

const headerMutations: readonly { name: string; value: string }[] = [
  { name: 'authorization', value: 'Bearer ../../etc/passwd' },
  { name: 'authorization', value: "Bearer ' OR '1'='1" },
  { name: 'authorization', value: 'Bearer' },
  { name: 'authorization', value: 'Basic YWRtaW46YWRtaW4=' },
  { name: 'authorization', value: `Bearer ${'a'.repeat(5000)}` },
  { name: 'cookie', value: 'tin_session=%00%2e%2e%2f; __proto__=1' },
  { name: 'cookie', value: `tin_session=${'x'.repeat(4000)}` },
  { name: 'idempotency-key', value: '../../etc/passwd' },
  { name: 'idempotency-key', value: 'MRKPLACE' },
  { name: 'idempotency-key', value: 'x'.repeat(300) },
  { name: 'idempotency-key', value: '' },
  { name: 'x-request-id', value: '../../etc/passwd' },
  { name: 'origin', value: 'https://evil.test' },
  { name: 'accept', value: 'text/html;q=0.9, */*;q=0.8, ../../etc' },
  { name: 'x-forwarded-for', value: "1.2.3.4, ' OR 1=1 --" },
  { name: 'content-type', value: 'application/json; charset=../../etc/passwd' },
];

function mutationArb(operation: TOperation): fc.Arbitrary<TMutation> {
  const hasBody = operation.body.kind === 'json';
  const options: fc.Arbitrary<TMutation>[] = [
    fc.constant({ kind: 'none' as const }),
    fc.record({
      kind: fc.constant('wrongType' as const),
      target: fc.nat(),
      value: fc.constantFrom(...wrongTypeValues),
    }),
    fc.record({ kind: fc.constant('missing' as const), target: fc.nat() }),
    fc.record({
      kind: fc.constant('extraKey' as const),
      target: fc.nat(),
      key: fc.constantFrom(...hostileKeys),
      value: hostileValueArb,
    }),
    fc.record({
      kind: fc.constant('hostileString' as const),
      target: fc.nat(),
      value: hostileStringArb,
    }),
    fc.record({ kind: fc.constant('huge' as const), target: fc.nat(), value: hugeStringArb }),
    fc.record({
      kind: fc.constant('queryKey' as const),
      key: fc.constantFrom(...hostileKeys, 'limit', 'cursor', 'status'),
      value: hostileStringArb,
    }),
    fc.record({
      kind: fc.constant('header' as const),
      name: fc.constantFrom(...headerMutations.map((h) => h.name)),
      value: fc.constantFrom(...headerMutations.map((h) => h.value)),
    }),
    fc.constantFrom(...rawBodies).map((raw) => ({ kind: 'rawBody' as const, ...raw })),
  ];
  if (hasBody) {
    options.push(
      fc.record({
        kind: fc.constant('deep' as const),
        target: fc.nat(),
        shape: fc.constantFrom('object' as const, 'array' as const),
      }),
    );
  }
  if (operation.params.some((p) => p.in === 'path')) {
    options.push(
      fc.record({
        kind: fc.constant('pathSegment' as const),
        target: fc.nat(),
        value: fc.oneof(
          fc.constantFrom(...hostileStrings.filter((s) => s.length > 0)),
          hostileStringArb,
        ),
        encode: fc.boolean(),
      }),
    );
  }
  return fc.oneof(...options);
}

function requestArb(operation: TOperation, fixture: TFixture): fc.Arbitrary<TGenerated> {
  const known: Record<string, string[]> = {
    eventId: [fixture.eventId],
    ticketTypeId: [fixture.ticketTypeId],
    orderId: [fixture.orderId],
    ticketId: [fixture.ticketId],
    userId: [fixture.memberUserId],
    email: [fixture.owner.email],
  };
  const schemaOptions = { resolveRef, known };
  const pathParams = operation.params.filter((p) => p.in === 'path');
  const queryParams = operation.params.filter((p) => p.in === 'query');
  const params = fc.record(
    Object.fromEntries(
      pathParams.map((p) => {
        const real = knownPathValue(operation, p.name, fixture);
        const random = arbitraryFromSchema(p.schema, schemaOptions).map(String);
        return [
          p.name,
          real.length
            ? fc.oneof({ arbitrary: fc.constantFrom(...real), weight: 5 }, random)
            : random,
        ];
      }),
    ),
  ) as fc.Arbitrary<Record<string, string>>;
  const query = fc.record(
    Object.fromEntries(
      queryParams.map((p) => [p.name, arbitraryFromSchema(p.schema, schemaOptions, p.name)]),
    ),
    { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) },
  );
  const body: fc.Arbitrary<unknown> =
    operation.body.kind === 'json'
      ? arbitraryFromSchema(operation.body.schema, schemaOptions)
      : operation.body.kind === 'image'
        ? fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes))
        : fc.constant(undefined);
  return fc.record({
    params,
    query,
    body,
    identity: fc.constantFrom<TIdentity>('anonymous', 'bearer', 'bearer', 'cookie'),
    ip: ipArb,
    mutations: fc.array(mutationArb(operation), { minLength: 1, maxLength: 2 }),
  });
}

type TDraft = {
  params: Record<string, string>;
  rawSegments: Set<string>;
  query: Record<string, unknown>;
  body: unknown;
  raw: { contentType: string | null; payload: string | Buffer } | null;
  headers: Record<string, string>;
};
type TLeaf = { location: 'params' | 'query' | 'body'; path: string[] };

/** Every value position of a request: path and query parameters and each node of the body. */
function leavesOf(draft: TDraft): TLeaf[] {
  const leaves: TLeaf[] = [
    ...Object.keys(draft.params).map((k) => ({ location: 'params' as const, path: [k] })),
    ...Object.keys(draft.query).map((k) => ({ location: 'query' as const, path: [k] })),
  ];
  const walk = (value: unknown, path: string[]) => {
    leaves.push({ location: 'body', path });
    if (value && typeof value === 'object')
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
  };
  if (draft.body !== undefined && !Buffer.isBuffer(draft.body)) walk(draft.body, []);
  return leaves;
}

function defineKey(target: object, key: string, value: unknown) {
  // defineProperty, not assignment: `__proto__` must become an own key that JSON.stringify sends.
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    configurable: true,
    writable: true,
  });
}

function setAt(draft: TDraft, leaf: TLeaf, value: unknown) {
  if (leaf.location !== 'body') {
    const key = leaf.path[0] ?? '';
    if (leaf.location === 'params')
      draft.params[key] = typeof value === 'string' ? value : JSON.stringify(value);
    else draft.query[key] = value;
    return;
  }
  if (leaf.path.length === 0) {
    draft.body = value;
    return;
  }
  let parent: unknown = draft.body;
  for (const key of leaf.path.slice(0, -1)) parent = (parent as Record<string, unknown>)[key];
  defineKey(parent as object, leaf.path.at(-1) ?? '', value);
}

function removeAt(draft: TDraft, leaf: TLeaf) {
  if (leaf.location === 'params') draft.params[leaf.path[0] ?? ''] = '';
  else if (leaf.location === 'query') delete draft.query[leaf.path[0] ?? ''];
  else if (leaf.path.length === 0) draft.body = undefined;
  else {
    let parent: unknown = draft.body;
    for (const key of leaf.path.slice(0, -1)) parent = (parent as Record<string, unknown>)[key];
    if (Array.isArray(parent)) parent.splice(Number(leaf.path.at(-1)), 1);
    else delete (parent as Record<string, unknown>)[leaf.path.at(-1) ?? ''];
  }
}

function applyMutation(draft: TDraft, mutation: TMutation) {
  const leaves = leavesOf(draft);
  const pick = (target: number) => leaves[target % Math.max(1, leaves.length)];
  switch (mutation.kind) {
    case 'none':
      return;
    case 'wrongType':
    case 'hostileString':
    case 'huge': {
      const leaf = pick(mutation.target);
      if (leaf) setAt(draft, leaf, structuredClone(mutation.value));
      else draft.query['q'] = mutation.value;
      return;
    }
    case 'deep': {
      const leaf = pick(mutation.target);
      if (leaf) setAt(draft, leaf, deepJson(1000, mutation.shape));
      return;
    }
    case 'missing': {
      const leaf = pick(mutation.target);
      if (leaf) removeAt(draft, leaf);
      return;
    }
    case 'extraKey': {
      const containers = leaves.filter(
        (l) => l.location === 'body' && isPlainObjectAt(draft.body, l.path),
      );
      const leaf = containers[mutation.target % Math.max(1, containers.length)];
      if (!leaf) {
        draft.query[mutation.key] = structuredClone(mutation.value);
        return;
      }
      let target: unknown = draft.body;
      for (const key of leaf.path) target = (target as Record<string, unknown>)[key];
      defineKey(target as object, mutation.key, structuredClone(mutation.value));
      return;
    }
    case 'queryKey':
      draft.query[mutation.key] = mutation.value;
      return;
    case 'pathSegment': {
      const names = Object.keys(draft.params);
      const name = names[mutation.target % Math.max(1, names.length)];
      if (!name) return;
      draft.params[name] = mutation.value;
      if (!mutation.encode) draft.rawSegments.add(name);
      return;
    }
    case 'rawBody':
      draft.raw = { contentType: mutation.contentType, payload: mutation.payload };
      return;
    case 'header':
      draft.headers[mutation.name] = mutation.value;
      return;
  }
}

function isPlainObjectAt(body: unknown, path: string[]): boolean {
  let value: unknown = body;
  for (const key of path) value = (value as Record<string, unknown>)[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type TBuiltRequest = {
  method: TOperation['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  remoteAddress: string;
};

/** Turns a generated, mutated request into what `app.inject` sends, with its marker filled in. */
function buildRequest(
  operation: TOperation,
  generated: TGenerated,
  fixture: TFixture,
  marker: string,
): TBuiltRequest {
  const draft: TDraft = {
    params: { ...generated.params },
    rawSegments: new Set(),
    query: { ...generated.query },
    body: Buffer.isBuffer(generated.body) ? generated.body : structuredClone(generated.body),
    raw: null,
    headers: {},
  };
  if (generated.identity === 'bearer')
    draft.headers['authorization'] = fixture.owner.headers.authorization;
  if (generated.identity === 'cookie') {
    draft.headers['cookie'] = `tin_session=${fixture.owner.token}`;
    draft.headers['origin'] = new URL(ctx.config.publicUrl).origin;
  }
  for (const mutation of generated.mutations) applyMutation(draft, mutation);
  const fill = (s: string) => s.replaceAll(markerPlaceholder, marker);

  const path = operation.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const value = fill(draft.params[name] ?? '');
    return draft.rawSegments.has(name) ? value : encodeSegment(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(draft.query)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values)
      search.append(fill(key), fill(typeof v === 'string' ? v : (JSON.stringify(v) ?? '')));
  }
  const query = search.toString();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(draft.headers))
    // Header values are bytes on the wire: keep them to visible ASCII so inject accepts them.
    headers[name] = fill(value).replace(/[^\x20-\x7e]/g, '');
  let payload: string | Buffer | undefined;
  if (draft.raw) {
    payload = typeof draft.raw.payload === 'string' ? fill(draft.raw.payload) : draft.raw.payload;
    if (draft.raw.contentType) headers['content-type'] = draft.raw.contentType;
  } else if (Buffer.isBuffer(draft.body)) {
    payload = draft.body;
    headers['content-type'] ??= 'image/png';
  } else if (draft.body !== undefined) {
    payload = fill(JSON.stringify(draft.body) ?? 'null');
    headers['content-type'] ??= 'application/json';
  }
  return {
    method: operation.method,
    url: `${path}${query ? `?${query}` : ''}`,
    headers,
    ...(payload !== undefined ? { payload } : {}),
    remoteAddress: generated.ip,
  };
}

/** encodeURIComponent, except that a lone surrogate is sent as its (invalid) UTF-8 bytes instead of throwing. */
function encodeSegment(value: string): string {
  return value.replace(
    /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]|[^\uD800-\uDFFF]+/g,
    (part) => {
      const unit = part.charCodeAt(0);
      if (part.length > 1 || unit < 0xd800 || unit > 0xdfff) return encodeURIComponent(part);
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    },
  );
}

/**
 * Test-only instrumentation: every row inserted, updated or deleted in a main table appends one
 * line to `fuzz_row_writes`, inside the writing transaction, so a rolled-back change leaves no
 * line and a committed one always does. Comparing the last id before and after a request tells
 * whether it changed any data, at the cost of one tiny query.
 */
async function instrumentWrites() {
  await sql
    .raw('CREATE TABLE fuzz_row_writes (id bigserial PRIMARY KEY, table_name text NOT NULL)')
    .execute(ctx.db);
  await sql
    .raw(
      `CREATE FUNCTION fuzz_log_write() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO fuzz_row_writes (table_name) VALUES (TG_TABLE_NAME);
         RETURN NULL;
       END $$`,
    )
    .execute(ctx.db);
  for (const table of mainTables) {
    await sql
      .raw(
        `CREATE TRIGGER fuzz_log_write AFTER INSERT OR UPDATE OR DELETE ON ${table}
         FOR EACH ROW EXECUTE FUNCTION fuzz_log_write()`,
      )
      .execute(ctx.db);
  }
}

async function lastWrite(): Promise<number> {
  const { rows } = await sql
    .raw<{ id: string | number | null }>('SELECT max(id) AS id FROM fuzz_row_writes')
    .execute(ctx.db);
  return Number(rows[0]?.id ?? 0);
}

/** The tables written after write id `since`. */
async function tablesWrittenSince(since: number): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    SELECT DISTINCT table_name FROM fuzz_row_writes WHERE id > ${since} ORDER BY table_name`.execute(
    ctx.db,
  );
  return rows.map((r) => r.table_name);
}

/** All stored text, lower-cased, to look for markers of refused requests. */
async function storedText(): Promise<string> {
  const parts: string[] = [];
  for (const table of mainTables) {
    const { rows } = await sql
      .raw<{ t: string | null }>(`SELECT string_agg(x::text, E'\\n') AS t FROM ${table} x`)
      .execute(ctx.db);
    parts.push(rows[0]?.t ?? '');
  }
  return parts.join('\n').toLowerCase();
}

function describeRequest(request: TBuiltRequest, res: LightMyRequestResponse): string {
  const body =
    typeof request.payload === 'string'
      ? request.payload
      : `<${request.payload?.length ?? 0} bytes>`;
  return `${request.method} ${request.url.slice(0, 300)} headers=${JSON.stringify(request.headers).slice(0, 300)} body=${body.slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
}

/** The invariants every answer keeps: below 500, and a 4xx is `{error, message}` JSON. */
function checkResponse(res: LightMyRequestResponse): string | null {
  if (res.statusCode >= 500) return `status ${res.statusCode}`;
  if (res.statusCode < 400) return null;
  if (!String(res.headers['content-type'] ?? '').includes('application/json'))
    return `4xx without JSON content type (${String(res.headers['content-type'])})`;
  try {
    const body = JSON.parse(res.body) as { error?: unknown; message?: unknown };
    if (typeof body.error !== 'string' || typeof body.message !== 'string')
      return '4xx body is not {error, message}';
  } catch {
    return '4xx body is not JSON';
  }
  return null;
}

/**
 * A scan's verdict (`invalid`, `void`, `already_checked_in`… as 409/422 `{result, message}`) is
 * the check-in endpoint's answer, not a refusal of the request: the scan is logged either way.
 */
function isCheckInVerdict(operation: TOperation, res: LightMyRequestResponse): boolean {
  if (!/^\/api\/v1\/events\/\{id\}\/check-ins$/.test(operation.path)) return false;
  try {
    const body = JSON.parse(res.body) as { result?: unknown; message?: unknown };
    return typeof body.result === 'string' && typeof body.message === 'string';
  } catch {
    return false;
  }
}

function checkPrototypes(): string | null {
  const polluted = Object.keys(Object.prototype).length > 0 || 'polluted' in {};
  return polluted ? 'Object.prototype was polluted' : null;
}

/** Tables a refusal may still change, by design, for an operation. */
function mayChangeOnRefusal(operation: TOperation): Set<string> {
  // A wrong sign-in code is refused *and* spends one of the code's attempts (brute-force guard).
  if (operation.method === 'POST' && operation.path === '/api/v1/auth/session')
    return new Set(['otp_codes']);
  return new Set();
}

describe('hostile input, generated from the OpenAPI document', () => {
  it('covers every operation of the document, the function routes included', () => {
    expect(operations.length).toBeGreaterThanOrEqual(60);
    expect(
      operations
        .filter((o) => o.path.startsWith('/fn/'))
        .map((o) => o.path)
        .sort(),
    ).toEqual(functionRoutes.map((r) => `/fn/${r.name}`).sort());
  });

  it('answers every generated request below 500, refuses with {error, message} and changes nothing on refusal', async () => {
    // Findings grouped by operation and kind, each with its count and first example.
    const findings = new Map<string, { count: number; example: string }>();
    const report = (key: string, problem: string, example: string) => {
      const id = `${key}: ${problem.replace(/\d+/g, 'N')}`;
      const found = findings.get(id);
      if (found) found.count += 1;
      else findings.set(id, { count: 1, example });
    };
    for (const operation of operations) {
      const key = `${operation.method} ${operation.path}`;
      const fixture = await makeFixture();
      const allowed = mayChangeOnRefusal(operation);
      const refusedMarkers: string[] = [];
      let before = await lastWrite();
      await fc.assert(
        fc.asyncProperty(requestArb(operation, fixture), async (generated) => {
          markerCount += 1;
          const marker = `zqm${markerCount}x`;
          const request = buildRequest(operation, generated, fixture, marker);
          let res: LightMyRequestResponse;
          try {
            res = await ctx.app.inject(request);
          } catch (error) {
            report(
              key,
              `inject threw ${String(error)}`,
              `${request.method} ${request.url.slice(0, 200)}`,
            );
            return;
          }
          requestCount += 1;
          const statusClass = `${Math.floor(res.statusCode / 100)}xx`;
          statusCounts.set(statusClass, (statusCounts.get(statusClass) ?? 0) + 1);
          perOperationCounts.set(key, (perOperationCounts.get(key) ?? 0) + 1);
          const problem = isCheckInVerdict(operation, res)
            ? null
            : (checkResponse(res) ?? checkPrototypes());
          const after = await lastWrite();
          if (res.statusCode >= 400 && !isCheckInVerdict(operation, res)) {
            refusedMarkers.push(marker);
            const changed =
              after === before
                ? []
                : (await tablesWrittenSince(before)).filter((t) => !allowed.has(t));
            if (changed.length)
              report(key, `refusal wrote to ${changed.join(', ')}`, describeRequest(request, res));
          }
          if (res.statusCode < 300 && after !== before) acceptedWrites += 1;
          if (problem) report(key, problem, describeRequest(request, res));
          before = after;
        }),
        { seed, numRuns: runsPerOperation, endOnFailure: true },
      );
      const text = await storedText();
      const leaked = refusedMarkers.filter((m) => text.includes(m));
      if (leaked.length)
        report(key, 'refused requests left their input in the database', leaked.join(', '));
    }
    expect([...findings].map(([id, f]) => `${id} (×${f.count}), e.g. ${f.example}`)).toEqual([]);
    expect(requestCount).toBeGreaterThanOrEqual(10_000);
    // The generated requests reach the services, not only the validators, and writes are seen.
    expect(statusCounts.get('2xx') ?? 0).toBeGreaterThan(1_000);
    expect(acceptedWrites).toBeGreaterThan(100);
  }, 600_000);
});

describe('hostile uploads', () => {
  it('refuses non-images, truncated files, pixel bombs and SVG scripts on every upload path with a 4xx', async () => {
    const fixture = await makeFixture();
    const png = await makeImage(64, 64, 'png');
    const jpeg = await makeImage(64, 64, 'jpeg');
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>',
    );
    const hostileFiles: { name: string; bytes: Buffer; contentType: string; filename: string }[] = [
      {
        name: 'text as png',
        bytes: Buffer.from('just some text, not an image at all'),
        contentType: 'image/png',
        filename: 'photo.png',
      },
      {
        name: 'html as jpeg',
        bytes: Buffer.from('<html><script>alert(1)</script></html>'),
        contentType: 'image/jpeg',
        filename: 'photo.jpg',
      },
      {
        name: 'pdf as png',
        bytes: Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'),
        contentType: 'image/png',
        filename: '../../etc/passwd.png',
      },
      {
        name: 'elf as webp',
        bytes: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(60)]),
        contentType: 'image/webp',
        filename: '..%2f..%2fevil.webp',
      },
      {
        name: 'truncated png',
        bytes: png.subarray(0, Math.floor(png.length / 2)),
        contentType: 'image/png',
        filename: 'cut.png',
      },
      {
        name: 'png header only',
        bytes: png.subarray(0, 33),
        contentType: 'image/png',
        filename: 'cut.png',
      },
      {
        name: 'truncated jpeg',
        bytes: jpeg.subarray(0, Math.floor(jpeg.length / 2)),
        contentType: 'image/jpeg',
        filename: 'cut.jpg',
      },
      {
        name: 'jpeg magic only',
        bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]),
        contentType: 'image/jpeg',
        filename: 'x.jpg',
      },
      {
        name: 'pixel bomb 50000×50000',
        bytes: await makePixelBomb(),
        contentType: 'image/png',
        filename: 'bomb.png',
      },
      { name: 'svg with script', bytes: svg, contentType: 'image/svg+xml', filename: 'logo.svg' },
      { name: 'svg named png', bytes: svg, contentType: 'image/png', filename: 'logo.png' },
      {
        name: 'empty file',
        bytes: Buffer.alloc(0),
        contentType: 'image/png',
        filename: 'empty.png',
      },
      {
        name: 'gif magic then garbage',
        bytes: Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(40, 0xff)]),
        contentType: 'image/gif',
        filename: '\u202Egnp.exe',
      },
      {
        // A genuine, valid file: 48 megapixels of one colour compress to ~150 KB.
        name: 'solid 8000×6000 PNG',
        bytes: await sharp({
          create: {
            width: 8000,
            height: 6000,
            channels: 3,
            background: { r: 255, g: 255, b: 255 },
          },
        })
          .png({ compressionLevel: 9 })
          .toBuffer(),
        contentType: 'image/png',
        filename: 'solid.png',
      },
      {
        name: 'JPEG declaring 65500×65500',
        bytes: patchJpegSize(jpeg, 65_500, 65_500),
        contentType: 'image/jpeg',
        filename: 'huge.jpg',
      },
    ];
    const eventBefore = await ctx.db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', fixture.eventId)
      .executeTakeFirstOrThrow();
    const before = await lastWrite();
    let uploads = 0;
    const refuse = (res: LightMyRequestResponse, what: string) => {
      uploads += 1;
      expect(res.statusCode, `${what}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(500);
      expect(checkResponse(res), what).toBeNull();
    };
    for (const file of hostileFiles) {
      refuse(
        await ctx.app.inject({
          method: 'PUT',
          url: `/api/v1/events/${fixture.eventId}/image`,
          headers: { ...fixture.owner.headers, 'content-type': file.contentType },
          payload: file.bytes,
        }),
        `raw ${file.name}`,
      );
      const form = multipart(file.filename, file.contentType, file.bytes);
      refuse(
        await ctx.app.inject({
          method: 'PUT',
          url: `/api/v1/events/${fixture.eventId}/image`,
          headers: { ...fixture.owner.headers, 'content-type': form.contentType },
          payload: form.body,
        }),
        `multipart ${file.name}`,
      );
      refuse(
        await ctx.app.inject({
          method: 'POST',
          url: '/fn/create-event',
          headers: { ...fixture.owner.headers, 'content-type': 'application/json' },
          payload: JSON.stringify({
            eventId: fixture.eventId,
            image: file.bytes.toString('base64'),
          }),
        }),
        `base64 ${file.name}`,
      );
    }
    // Multipart framing itself broken: cut off, no file part, two files, no boundary.
    const boundary = '----tickitnow-hostile-boundary';
    const whole = multipart('a.png', 'image/png', png);
    const svgForm = multipart('a.svg', 'image/svg+xml', svg);
    const brokenForms: { name: string; contentType: string; body: Buffer | string }[] = [
      { name: 'cut off', contentType: whole.contentType, body: whole.body.subarray(0, 200) },
      {
        name: 'field only',
        contentType: whole.contentType,
        body: `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nMRK\r\n--${boundary}--\r\n`,
      },
      {
        // An SVG first, a real PNG second: the PNG must not be picked instead.
        name: 'two files',
        contentType: whole.contentType,
        body: Buffer.concat([
          svgForm.body.subarray(0, svgForm.body.length - boundary.length - 6),
          whole.body,
        ]),
      },
      { name: 'no boundary', contentType: 'multipart/form-data', body: whole.body },
      { name: 'empty', contentType: whole.contentType, body: '' },
    ];
    for (const form of brokenForms) {
      refuse(
        await ctx.app.inject({
          method: 'PUT',
          url: `/api/v1/events/${fixture.eventId}/image`,
          headers: { ...fixture.owner.headers, 'content-type': form.contentType },
          payload: form.body,
        }),
        `multipart ${form.name}`,
      );
    }
    expect(await tablesWrittenSince(before)).toEqual([]);
    const eventAfter = await ctx.db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', fixture.eventId)
      .executeTakeFirstOrThrow();
    expect(eventAfter).toEqual(eventBefore);
    requestCount += uploads;

    // The same paths do accept a real image, so the refusals above are about the content.
    const ok = multipart('../../etc/passwd.png', 'image/png', png);
    const accepted = await ctx.app.inject({
      method: 'PUT',
      url: `/api/v1/events/${fixture.eventId}/image`,
      headers: { ...fixture.owner.headers, 'content-type': ok.contentType },
      payload: ok.body,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.body).not.toContain('passwd');
  });
});

/** A copy of a JPEG whose frame header (SOF0) declares another size. */
function patchJpegSize(jpeg: Buffer, width: number, height: number): Buffer {
  const patched = Buffer.from(jpeg);
  const sof = patched.indexOf(Buffer.from([0xff, 0xc0]));
  if (sof < 0) throw new Error('no SOF0 marker');
  // FF C0, length (2), precision (1), height (2), width (2).
  patched.writeUInt16BE(height, sof + 5);
  patched.writeUInt16BE(width, sof + 7);
  return patched;
}

function multipart(filename: string, contentType: string, content: Buffer) {
  const boundary = '----tickitnow-hostile-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

describe('stored files', () => {
  it('serves nothing outside storage, whatever the path or signature says', async () => {
    const paths = [
      '/files/../../etc/passwd',
      '/files/..%2f..%2fetc%2fpasswd',
      '/files/%2e%2e/%2e%2e/etc/passwd?expires=9999999999&sig=x',
      '/files/events/..%5c..%5c..%5cetc%5cpasswd?expires=9999999999&sig=x',
      '/files/events/%252e%252e%252fetc%252fpasswd',
      '/files/%00',
      `/files/${'a/'.repeat(3000)}x.webp?expires=1&sig=${'b'.repeat(500)}`,
      "/files/events/x.webp?expires=' OR 1=1 --&sig=<script>",
      '/files/events/x.webp?expires=-1e999&sig=__proto__',
    ];
    for (const url of paths) {
      const res = await ctx.app.inject({ method: 'GET', url });
      requestCount += 1;
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(checkResponse(res), url).toBeNull();
      expect(res.body).not.toContain('root:');
    }
  });
});

/** Cases the fuzz found (each was a 500 before its fix), kept as explicit tests. */
describe('hostile input regressions', () => {
  let fixture: TFixture;
  beforeAll(async () => {
    fixture = await makeFixture();
  });
  const expectRefused = (res: LightMyRequestResponse, status: number, error: string) => {
    expect(res.statusCode, res.body).toBe(status);
    const body = res.json<{ error: unknown; message: unknown }>();
    expect(body.error).toBe(error);
    expect(typeof body.message).toBe('string');
  };

  it('a multipart upload without a boundary is a 422, not a 500', async () => {
    const before = await lastWrite();
    const res = await ctx.app.inject({
      method: 'PUT',
      url: `/api/v1/events/${fixture.eventId}/image`,
      headers: { ...fixture.owner.headers, 'content-type': 'multipart/form-data' },
      payload: '--x\r\n\r\nnot a part',
    });
    expectRefused(res, 422, 'invalid_image');
    expect(await tablesWrittenSince(before)).toEqual([]);
  });

  it('scanner keys "since" beyond a PostgreSQL integer is a 400, not a 500', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/events/${fixture.eventId}/scanner-keys?since=7966794187744445`,
      headers: fixture.owner.headers,
    });
    expectRefused(res, 400, 'validation_failed');
  });

  it('NUL characters and lone surrogates anywhere in the input are a 400, never a database error', async () => {
    const before = await lastWrite();
    const cases: { method: 'GET' | 'POST'; url: string; payload?: unknown }[] = [
      // NUL in a check-in's gate (was a 500: PostgreSQL text cannot hold 0x00).
      {
        method: 'POST',
        url: `/api/v1/events/${fixture.eventId}/check-ins`,
        payload: { code: 'not-a-ticket', gate: 'north\u0000' },
      },
      // A lone surrogate in activity metadata (was a 500: jsonb refuses the \udc00 escape).
      {
        method: 'POST',
        url: '/api/v1/activity',
        payload: { type: 'page_view', metadata: { note: '\udc00x' } },
      },
      {
        method: 'POST',
        url: '/fn/log-activity',
        payload: { type: 'page_view', metadata: { note: '\udc00x' } },
      },
      {
        method: 'POST',
        url: '/fn/log-activity',
        payload: { type: 'page_view', metadata: { note: 'a\u0000' } },
      },
      // NUL in a query string (was a 500 on the dev mailbox's `to`).
      { method: 'GET', url: '/api/v1/dev/mailbox?to=a%00b' },
      { method: 'GET', url: '/api/v1/events?q=jazz%00' },
      // And in the places the fuzz did not happen to hit: names, titles, keys.
      { method: 'POST', url: '/api/v1/organizers', payload: { name: 'Null\u0000Org' } },
      { method: 'POST', url: '/api/v1/organizers', payload: { name: 'Lone \ud800 surrogate' } },
      {
        method: 'POST',
        url: `/api/v1/organizers/${fixture.organizerId}/events`,
        payload: { title: 'x', 'bad\u0000key': 1 },
      },
      { method: 'POST', url: '/fn/send-otp', payload: { email: 'a\u0000@example.test' } },
    ];
    for (const c of cases) {
      const res = await ctx.app.inject({
        method: c.method,
        url: c.url,
        headers: {
          ...fixture.owner.headers,
          ...(c.payload ? { 'content-type': 'application/json' } : {}),
        },
        remoteAddress: '10.255.0.1',
        ...(c.payload ? { payload: JSON.stringify(c.payload) } : {}),
      });
      expect(res.statusCode, `${c.method} ${c.url}: ${res.body}`).toBe(400);
      expect(res.json<{ error: string }>().error, c.url).toBe('validation_failed');
    }
    expect(await tablesWrittenSince(before)).toEqual([]);
  });

  it('well-formed emoji and other astral characters are still accepted', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/organizers',
      headers: { ...fixture.owner.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Fête 🎟️ 👩‍👩‍👧‍👦 𝄞' }),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<{ name: string }>().name).toBe('Fête 🎟️ 👩‍👩‍👧‍👦 𝄞');
  });
});
