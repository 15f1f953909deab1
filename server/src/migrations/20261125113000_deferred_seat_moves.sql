-- Seat moves that cannot fail (a paid hold becoming a sale) are applied to the ticket-type
-- counters when the transaction commits, not where they are written. The counter row is the one
-- every buyer of the type needs: updated mid-transaction, its lock would be held while the API
-- receives the answer and sends COMMIT — a network round trip that, under load, waits behind
-- everything else the API is doing. Applied by a deferred trigger, the lock is taken inside the
-- commit and released by it, as for a single-statement transaction.
--
-- A row lives only until its transaction commits (the trigger deletes it). No foreign key: its
-- check would take a key-share lock on the counter row at insert time.
CREATE TABLE deferred_seat_moves (
  id bigserial PRIMARY KEY,
  ticket_type_id uuid NOT NULL,
  held_change integer NOT NULL,
  sold_change integer NOT NULL
);

CREATE FUNCTION apply_deferred_seat_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ticket_types
  SET held = held + NEW.held_change, sold = sold + NEW.sold_change, updated_at = now()
  WHERE id = NEW.ticket_type_id;
  DELETE FROM deferred_seat_moves WHERE id = NEW.id;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER deferred_seat_moves_apply
AFTER INSERT ON deferred_seat_moves
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION apply_deferred_seat_move();
