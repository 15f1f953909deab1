-- Deleting an order checks that no waiting-list entry points at it (the foreign key
-- waitlist_entries.order_id). Without an index that check read the whole waiting list, and orders
-- are deleted on the sale's hot path: every hold the batch refuses is an order inserted and deleted
-- in the same call (take_holds), so a sold-out event with a long waiting list paid a scan of the
-- list for each refusal. Only entries that claimed a seat have an order.
CREATE INDEX waitlist_entries_order_idx ON waitlist_entries (order_id) WHERE order_id IS NOT NULL;
