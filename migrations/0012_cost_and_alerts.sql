-- Issue 15, items 5 and 6 (decision 0009). What Meta bills for each message we sent, from its statuses'
-- pricing objects; and NOT OK alerts that carry the template to send instead when Meta refuses the text (131047).
CREATE TABLE IF NOT EXISTS "whatsapp_message_pricing" (
	"wa_message_id" varchar(256) PRIMARY KEY NOT NULL,
	"submission_id" varchar REFERENCES "public"."checklist_submissions"("id") ON DELETE set null,
	"billable" boolean NOT NULL,
	"category" varchar(64) NOT NULL,
	"pricing_model" varchar(32),
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "whatsapp_outbox" ADD COLUMN IF NOT EXISTS "submission_id" varchar REFERENCES "public"."checklist_submissions"("id") ON DELETE set null;--> statement-breakpoint
ALTER TABLE "whatsapp_outbox" ADD COLUMN IF NOT EXISTS "fallback_payload" jsonb;--> statement-breakpoint
ALTER TABLE "whatsapp_outbox" ADD COLUMN IF NOT EXISTS "retried_as" bigint;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "whatsapp_message_pricing_recorded" ON "whatsapp_message_pricing" USING btree ("recorded_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "whatsapp_message_pricing_submission" ON "whatsapp_message_pricing" USING btree ("submission_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "whatsapp_outbox_session" ON "whatsapp_outbox" USING btree ("session_id") WHERE session_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "whatsapp_outbox_alerts" ON "whatsapp_outbox" USING btree ("submission_id") WHERE submission_id IS NOT NULL;
