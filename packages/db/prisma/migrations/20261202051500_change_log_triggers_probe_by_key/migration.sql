-- The triggers on change_log (feed_position, migration 20261201224147_feed_position; the webhook
-- outbox and webhook_subject, 20261202004000_webhook_outbox_skips_deleted_endpoints) run under the
-- change-log lock, so their time is every other writer's wait. Each of their statements looks up
-- the offers and slots of the new entries by key. PL/pgSQL plans a statement once per connection
-- and keeps the plan until the tables' statistics change; planned while `offer` and `slot` were
-- small (a new installation, a first import), the feed-position statement was a nested loop over
-- a sequential scan of `slot` (250 offers against 36,000 slots: 1.9 s per batch, growing with the
-- table) and the webhook_subject upsert hashed all of `offer` and `slot` (64 ms at 12,000 offers,
-- growing with them). With 8 providers syncing at once, writers spent 95 % of the time waiting
-- for the lock (pnpm bench:scale). Pinned to nested loops over index probes, the work is one
-- primary-key or slot_offer_id_starts_at_idx probe per entry whatever the statistics say. The few
-- small tables without a usable index (webhook_endpoint) are still read whole; JIT is off because
-- the cost of such a disabled scan would otherwise trigger a compilation (145 ms) per statement.
ALTER FUNCTION "feed_position_follow_change_log"() SET enable_seqscan = off;
ALTER FUNCTION "feed_position_follow_change_log"() SET enable_hashjoin = off;
ALTER FUNCTION "feed_position_follow_change_log"() SET enable_mergejoin = off;
ALTER FUNCTION "feed_position_follow_change_log"() SET jit = off;
ALTER FUNCTION "webhook_outbox_follow_change_log"() SET enable_seqscan = off;
ALTER FUNCTION "webhook_outbox_follow_change_log"() SET enable_hashjoin = off;
ALTER FUNCTION "webhook_outbox_follow_change_log"() SET enable_mergejoin = off;
ALTER FUNCTION "webhook_outbox_follow_change_log"() SET jit = off;
