-- Check-in finds the scanned ticket by its id, whatever the table's statistics say.
--
-- PL/pgSQL keeps a generic plan for each statement of `checkin_scan` (that is why it is a
-- function: see 20261125120000_checkin_speed). For a table never analyzed — a new install, the
-- embedded database (which has no autovacuum), or a server where autovacuum has not yet caught up
-- with a sale's new tickets — the planner rated `tickets_event_idx (event_id, status)` as cheap as
-- the primary key and chose it: every scan then read all of the event's tickets to find one
-- (4.2 ms for an event of 10,000 tickets, against 0.17 ms by primary key; the door's throughput
-- fell with the event's size). The event is now compared with IS NOT DISTINCT FROM, which no index
-- can serve, so the primary key is the only way in. `tickets.event_id` is NOT NULL, so it matches
-- exactly the rows `=` matched (and a NULL event matches nothing either way). Nothing else of the
-- function changes; the whole body is restated because CREATE OR REPLACE takes nothing less.

CREATE OR REPLACE FUNCTION checkin_scan(
  p_event_id uuid,
  p_user_id uuid,
  p_is_admin boolean,
  p_roles text[],
  p_ticket_id uuid,
  p_preset_result text,
  p_at timestamptz,
  p_gate text,
  p_device_id text,
  p_source text,
  p_code_fingerprint text,
  p_dedupe_key text
)
RETURNS TABLE (
  is_event_found boolean,
  role text,
  result text,
  ticket_id uuid,
  ticket_type_id uuid,
  attendee_name text,
  checked_in_at timestamptz,
  checked_in_gate text,
  checked_in_device text
)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  v_ticket record;
BEGIN
  -- Authorization, read in this very call: a member removed a moment ago is refused at once.
  SELECT true, organizer_members.role INTO is_event_found, role
  FROM events
  LEFT JOIN organizer_members
    ON organizer_members.organizer_id = events.organizer_id
    AND organizer_members.user_id = p_user_id
  WHERE events.id = p_event_id;
  IF NOT FOUND THEN
    is_event_found := false;
    RETURN NEXT;
    RETURN;
  END IF;
  IF NOT (p_is_admin OR coalesce(role = ANY (p_roles), false)) THEN
    RETURN NEXT;
    RETURN;
  END IF;

  IF p_preset_result IS NOT NULL THEN
    result := p_preset_result;
  ELSE
    -- THE admission: one conditional UPDATE. Two gates scanning the same ticket at the same
    -- instant both run it; the second waits for the first's row lock, re-evaluates
    -- `checked_in_at IS NULL` on the committed row, matches nothing, and is told it was a
    -- duplicate. A ticket is therefore admitted exactly once, on any number of API instances.
    UPDATE tickets
    SET checked_in_at = p_at, checked_in_gate = p_gate, checked_in_device = p_device_id
    WHERE tickets.id = p_ticket_id
      AND tickets.event_id IS NOT DISTINCT FROM p_event_id
      AND tickets.status = 'valid'
      AND tickets.checked_in_at IS NULL
    RETURNING tickets.id, tickets.ticket_type_id, tickets.attendee_name, tickets.checked_in_at,
      tickets.checked_in_gate, tickets.checked_in_device
    INTO v_ticket;
    IF FOUND THEN
      result := 'ok';
    ELSE
      -- Each statement of a VOLATILE function reads a fresh snapshot, so when the UPDATE above
      -- waited for a concurrent admission of this ticket, this sees that admission's gate and time.
      SELECT tickets.id, tickets.ticket_type_id, tickets.attendee_name, tickets.checked_in_at,
        tickets.checked_in_gate, tickets.checked_in_device, tickets.status
      INTO v_ticket
      FROM tickets
      WHERE tickets.id = p_ticket_id AND tickets.event_id IS NOT DISTINCT FROM p_event_id;
      IF NOT FOUND THEN
        result := 'invalid';
      ELSIF v_ticket.status = 'void' THEN
        result := 'void';
      ELSE
        result := 'already_checked_in';
      END IF;
    END IF;
    IF result <> 'invalid' THEN
      ticket_id := v_ticket.id;
      ticket_type_id := v_ticket.ticket_type_id;
      attendee_name := v_ticket.attendee_name;
      checked_in_at := v_ticket.checked_in_at;
      IF result <> 'ok' THEN
        checked_in_gate := v_ticket.checked_in_gate;
        checked_in_device := v_ticket.checked_in_device;
      END IF;
    END IF;
  END IF;

  -- Every scan is logged, whatever its result; in the same call, so with the admission or not at all.
  INSERT INTO check_ins (event_id, ticket_id, ticket_type_id, result, gate, device_id,
    scanned_by, scanned_at, source, code_fingerprint, dedupe_key)
  VALUES (p_event_id, ticket_id, ticket_type_id, result, p_gate, p_device_id,
    p_user_id, p_at, p_source, p_code_fingerprint, p_dedupe_key);
  RETURN NEXT;
END
$$;
