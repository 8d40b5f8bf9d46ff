-- The apply finds the active session of the operator who wrote (looked up from the sender), so another
-- identifier than the phone number can be added later; this index serves that lookup.
-- auto_replied_at: a sender who is no operator gets our automatic answer at most once a day.
ALTER TABLE "whatsapp_contacts" ADD COLUMN IF NOT EXISTS "auto_replied_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "whatsapp_sessions_active_operator" ON "whatsapp_conversation_sessions" USING btree ("operator_id") WHERE status = 'active';
