-- Check-in: where and by which device a ticket was admitted, a scan log of every scan, and a
-- per-event revocation version so offline scanners can fetch only new revocations.

ALTER TABLE tickets ADD COLUMN checked_in_gate text;
ALTER TABLE tickets ADD COLUMN checked_in_device text;
-- The event's revocation_version at which this ticket was voided.
ALTER TABLE tickets ADD COLUMN void_version integer;
CREATE INDEX tickets_revocations_idx ON tickets (event_id, void_version) WHERE void_version IS NOT NULL;

-- Bumped (under the event row lock) by every transaction that voids tickets of the event, so
-- versions are handed out in commit order and "everything after version N" never misses a row.
ALTER TABLE events ADD COLUMN revocation_version integer NOT NULL DEFAULT 0;

CREATE TABLE check_ins (
  id bigserial PRIMARY KEY,
  event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  ticket_id uuid REFERENCES tickets (id),
  ticket_type_id uuid,
  result text NOT NULL CHECK (result IN ('ok', 'already_checked_in', 'invalid', 'void', 'wrong_event', 'undone')),
  gate text,
  device_id text,
  scanned_by uuid REFERENCES users (id),
  -- When the scan happened on the device (offline scans arrive later), and when it reached us.
  scanned_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  source text NOT NULL CHECK (source IN ('online', 'offline', 'manual')),
  -- A hash of the scanned text: enough to spot a repeated forgery, without storing the code.
  code_fingerprint text NOT NULL,
  -- Identifies an offline scan so a re-sent sync batch is recognised and not applied twice.
  dedupe_key text
);
CREATE INDEX check_ins_event_idx ON check_ins (event_id, scanned_at);
CREATE INDEX check_ins_ticket_idx ON check_ins (ticket_id);
CREATE UNIQUE INDEX check_ins_dedupe_key ON check_ins (event_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
