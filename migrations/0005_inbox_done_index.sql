-- WHATSAPP_LOG_RETENTION_DAYS: the retention job deletes processed and failed inbox rows by received_at.
-- Partial, so a message enters it only on its status change (which writes every index anyway).
-- A plain CREATE INDEX: the migrator runs in a transaction, so inserts wait while it builds (seconds
-- for a few million rows; Meta retries a webhook that is slow or refused).
CREATE INDEX IF NOT EXISTS "whatsapp_inbox_done" ON "whatsapp_inbox" USING btree ("received_at") WHERE status IN ('processed', 'failed');
