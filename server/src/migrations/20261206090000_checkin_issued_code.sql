-- Check-in admits a ticket only for the very code it was issued, and the API no longer checks the
-- Ed25519 signature of codes for the scanned event.
--
-- A ticket's code is written once, when the ticket is issued (`tickets.code`, unique), and never
-- changes. A scanned code that equals it character for character is therefore genuine: a forger
-- would need its signature, which only the event's private key makes. Comparing the two in the scan
-- statement replaces the signature check of the API for codes of the scanned event (other
-- events' codes are still verified, so that a forgery is called invalid, not another event's),
-- and it was the largest single cost of a scan: 23 % of the API's CPU at the door. Scanners
-- offline still verify signatures with the public key; nothing changes for them.
--
-- The code is compared with IS NOT DISTINCT FROM, like the event (see 20261205120000), so that
-- the unique index on codes never competes with the primary key. Both columns are NOT NULL, and a
-- NULL code (a preset result) matches nothing. A new parameter changes the function's signature,
-- so the old one is dropped; the whole body is restated because CREATE FUNCTION takes nothing less.

DROP FUNCTION checkin_scan(uuid, uuid, boolean, text[], uuid, text, timestamptz, text, text, text,
  text, text);

CREATE FUNCTION checkin_scan(
  p_event_id uuid,
  p_user_id uuid,
  p_is_admin boolean,
  p_roles text[],
  p_ticket_id uuid,
  p_code text,
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
      AND tickets.code IS NOT DISTINCT FROM p_code
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
      WHERE tickets.id = p_ticket_id AND tickets.event_id IS NOT DISTINCT FROM p_event_id
        AND tickets.code IS NOT DISTINCT FROM p_code;
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
