-- Holds taken in batches: the API coalesces concurrent hold requests for the same ticket types
-- into one call of take_holds, which runs as one statement (its own transaction, one round trip).
-- The counter row of a ticket type is the one row every buyer needs; it is now written once per
-- batch instead of once per order, and its lock is held only inside the database, never across a
-- network round trip to the API.
--
-- requests: [{ "eventId", "userId", "totalCents", "currency", "expiresAt", "idempotencyKey"
--   (or null), "requestHash", "attendees": [...], "items": [{ "ticketTypeId", "quantity",
--   "unitPriceCents" }] }], served first come, first served.
-- One row per request: 'held' (order_id, created_at), 'key_used' (this user's Idempotency-Key
-- already has an order: the caller answers with it) or 'sold_out' (short_ticket_type_id and the
-- seats it had left at that point). The ticket_types_no_oversell constraint still guards the
-- counters: if this function were wrong, the whole batch would fail rather than oversell.
CREATE FUNCTION take_holds(requests jsonb, at timestamptz)
RETURNS TABLE (
  request_index integer,
  outcome text,
  new_order_id uuid,
  new_created_at timestamptz,
  short_ticket_type_id uuid,
  seats_left integer
)
LANGUAGE plpgsql AS $$
DECLARE
  n integer := jsonb_array_length(requests);
  req jsonb;
  item jsonb;
  order_ids uuid[] := array_fill(NULL::uuid, ARRAY[n]);
  created timestamptz[] := array_fill(NULL::timestamptz, ARRAY[n]);
  type_ids uuid[];
  seats integer[];
  taken integer[];
  refused uuid[] := '{}';
  granted uuid[] := '{}';
  pos integer;
  short_type uuid;
  short_left integer;
  one_id uuid;
  one_at timestamptz;
BEGIN
  -- 1. The orders, before any counter is locked. A used key inserts nothing.
  FOR i IN 1..n LOOP
    req := requests -> (i - 1);
    INSERT INTO orders AS o (event_id, user_id, status, total_cents, currency, expires_at,
      idempotency_key, request_hash, attendees, created_at, updated_at)
    VALUES ((req ->> 'eventId')::uuid, (req ->> 'userId')::uuid, 'pending',
      (req ->> 'totalCents')::integer, req ->> 'currency', (req ->> 'expiresAt')::timestamptz,
      req ->> 'idempotencyKey', req ->> 'requestHash', req -> 'attendees', at, at)
    ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING o.id, o.created_at INTO one_id, one_at;
    order_ids[i] := one_id;
    created[i] := one_at;
  END LOOP;

  -- 2. Lock the counters in id order (as every other writer does, so no deadlock) and read
  --    what is left. FOR NO KEY UPDATE, the lock an UPDATE takes: it does not wait for the key
  --    share locks that inserts of tickets and order items hold on the row until they commit.
  SELECT array_agg(t.id ORDER BY t.id), array_agg(t.capacity - t.sold - t.held ORDER BY t.id)
  INTO type_ids, seats
  FROM (
    SELECT tt.id, tt.capacity, tt.sold, tt.held FROM ticket_types tt
    WHERE tt.id IN (
      SELECT DISTINCT (it ->> 'ticketTypeId')::uuid
      FROM jsonb_array_elements(requests) r, jsonb_array_elements(r -> 'items') it
    )
    ORDER BY tt.id
    FOR NO KEY UPDATE
  ) t;
  type_ids := coalesce(type_ids, '{}');
  seats := coalesce(seats, '{}');
  taken := array_fill(0, ARRAY[cardinality(type_ids)]);

  -- 3. First come, first served: an order gets all its seats or none.
  FOR i IN 1..n LOOP
    CONTINUE WHEN order_ids[i] IS NULL;
    req := requests -> (i - 1);
    short_type := NULL;
    FOR item IN SELECT value FROM jsonb_array_elements(req -> 'items') LOOP
      pos := array_position(type_ids, (item ->> 'ticketTypeId')::uuid);
      IF pos IS NULL OR seats[pos] < (item ->> 'quantity')::integer THEN
        short_type := (item ->> 'ticketTypeId')::uuid;
        short_left := coalesce(seats[pos], 0);
        EXIT;
      END IF;
    END LOOP;
    IF short_type IS NULL THEN
      FOR item IN SELECT value FROM jsonb_array_elements(req -> 'items') LOOP
        pos := array_position(type_ids, (item ->> 'ticketTypeId')::uuid);
        seats[pos] := seats[pos] - (item ->> 'quantity')::integer;
        taken[pos] := taken[pos] + (item ->> 'quantity')::integer;
      END LOOP;
      granted := granted || order_ids[i];
      RETURN QUERY SELECT i, 'held'::text, order_ids[i], created[i], NULL::uuid, NULL::integer;
    ELSE
      refused := refused || order_ids[i];
      RETURN QUERY SELECT i, 'sold_out'::text, NULL::uuid, NULL::timestamptz, short_type, short_left;
    END IF;
  END LOOP;

  -- 4. One counter update per ticket type for the whole batch.
  UPDATE ticket_types tt SET held = tt.held + x.more, updated_at = at
  FROM unnest(type_ids, taken) AS x(id, more)
  WHERE tt.id = x.id AND x.more > 0;

  -- 5. Refused orders never existed; granted ones get their items.
  DELETE FROM orders WHERE id = ANY (refused);
  INSERT INTO order_items (order_id, ticket_type_id, quantity, unit_price_cents)
  SELECT order_ids[i], (it ->> 'ticketTypeId')::uuid, (it ->> 'quantity')::integer,
    (it ->> 'unitPriceCents')::integer
  FROM generate_series(1, n) AS i, jsonb_array_elements(requests -> (i - 1) -> 'items') AS it
  WHERE order_ids[i] = ANY (granted);

  FOR i IN 1..n LOOP
    IF order_ids[i] IS NULL THEN
      RETURN QUERY SELECT i, 'key_used'::text, NULL::uuid, NULL::timestamptz, NULL::uuid, NULL::integer;
    END IF;
  END LOOP;
END;
$$;
