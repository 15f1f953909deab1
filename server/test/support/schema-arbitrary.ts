import fc from 'fast-check';

/** The subset of JSON Schema (as @fastify/swagger and zod emit it) that request schemas use. */
export type TJsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: TJsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, TJsonSchema>;
  required?: string[];
  additionalProperties?: boolean | TJsonSchema;
  propertyNames?: TJsonSchema;
  anyOf?: TJsonSchema[];
  oneOf?: TJsonSchema[];
  allOf?: TJsonSchema[];
  $ref?: string;
  default?: unknown;
};

export type TSchemaArbitraryOptions = {
  /** Resolves `#/components/schemas/Name`. */
  resolveRef: (ref: string) => TJsonSchema;
  /**
   * Values that exist in the database for a property name (`eventId`, `ticketTypeId`…), offered
   * beside random ones so generated requests reach the code behind the existence checks.
   */
  known?: Record<string, string[]>;
};

const maxGeneratedLength = 40;

/**
 * Generates values that (mostly) satisfy a JSON Schema: the "valid" half of the hostile-input
 * fuzz, which the mutations then break in one place at a time.
 */
export function arbitraryFromSchema(
  schema: TJsonSchema,
  options: TSchemaArbitraryOptions,
  propertyName?: string,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  const recurse = (s: TJsonSchema, name?: string) =>
    arbitraryFromSchema(s, options, name, depth + 1);
  if (schema.$ref) return recurse(options.resolveRef(schema.$ref), propertyName);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => recurse(s, propertyName)));
  if (schema.allOf?.[0]) return recurse(schema.allOf[0], propertyName);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (Array.isArray(schema.type)) {
    return fc.oneof(...schema.type.map((type) => recurse({ ...schema, type }, propertyName)));
  }
  switch (schema.type) {
    case 'string':
      return stringArbitrary(schema, options.known?.[propertyName ?? '']);
    case 'integer':
      return fc.integer({
        min: schema.minimum ?? (schema.exclusiveMinimum ?? -1_000_001) + 1,
        max: schema.maximum ?? (schema.exclusiveMaximum ?? 1_000_001) - 1,
      });
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1e6,
        max: schema.maximum ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, 4));
      return fc.array(recurse(schema.items ?? {}), { minLength, maxLength });
    }
    case 'object':
    case undefined: {
      if (!schema.properties && !schema.additionalProperties && schema.type === undefined) {
        return fc.jsonValue({ maxDepth: 2 });
      }
      const properties = schema.properties ?? {};
      const record = fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, recurse(s, key)])),
        { requiredKeys: (schema.required ?? []).filter((key) => key in properties) },
      );
      if (typeof schema.additionalProperties !== 'object') return record;
      const extra = fc.dictionary(
        schema.propertyNames ? recurse(schema.propertyNames).map(String) : fc.string(),
        recurse(schema.additionalProperties),
        { maxKeys: 4 },
      );
      return fc.tuple(record, extra).map(([fixed, more]) => ({ ...more, ...fixed }));
    }
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function stringArbitrary(schema: TJsonSchema, known: string[] | undefined): fc.Arbitrary<string> {
  const base = formatArbitrary(schema);
  return known?.length ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, base) : base;
}

function formatArbitrary(schema: TJsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? maxGeneratedLength, 60));
  const fits = (s: string) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity);
  switch (schema.format ?? '') {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uri':
      return fc.webUrl().filter(fits);
    case 'date-time':
      return dateArbitrary().map((d) => d.toISOString());
    case 'date':
      return dateArbitrary().map((d) => d.toISOString().slice(0, 10));
    default:
      break;
  }
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
    } catch {
      // A pattern fast-check cannot invert: plain strings, which the mutations vary anyway.
    }
  }
  return fc.string({ minLength, maxLength });
}

const dateArbitrary = () =>
  fc.date({
    min: new Date('2029-01-01T00:00:00Z'),
    max: new Date('2032-12-31T00:00:00Z'),
    noInvalidDate: true,
  });
