-- Autovacuum for the two queue tables. No status change of whatsapp_inbox or whatsapp_outbox is a HOT
-- update (status is in their partial indexes' predicates), so every one leaves a dead row version and
-- dead index entries, and an outbox row changes up to four times (sending, sent, delivered, read).
-- The default trigger (20% of the table dead) grows with retention: with 90 days kept it waits for
-- days of updates, while the claim and head queries walk the dead entries of their partial indexes.
-- A fixed threshold plus 1% vacuums these tables every few thousand updates at any size; each run is
-- cheap, because only recent pages hold dead rows (the visibility map lets vacuum skip the rest).
ALTER TABLE "whatsapp_inbox" SET (autovacuum_vacuum_threshold = 2000, autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
--> statement-breakpoint
ALTER TABLE "whatsapp_outbox" SET (autovacuum_vacuum_threshold = 2000, autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
