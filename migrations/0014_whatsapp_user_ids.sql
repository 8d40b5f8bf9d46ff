-- People, not only numbers (docs/decisions/0011-people-not-only-numbers.md): a sender or recipient Meta knows only
-- by a business-scoped user id (BSUID, up to ~131 characters) is addressed by it in the phone_number columns of the
-- queues and contacts, so they widen (a varchar length increase rewrites neither the table nor its indexes).
ALTER TABLE "whatsapp_contacts" ALTER COLUMN "phone_number" SET DATA TYPE varchar(160);--> statement-breakpoint
ALTER TABLE "whatsapp_inbox" ALTER COLUMN "phone_number" SET DATA TYPE varchar(160);--> statement-breakpoint
ALTER TABLE "whatsapp_outbox" ALTER COLUMN "phone_number" SET DATA TYPE varchar(160);--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN IF NOT EXISTS "whatsapp_user_id" varchar(160);--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN IF NOT EXISTS "whatsapp_username" varchar(64);--> statement-breakpoint
ALTER TABLE "whatsapp_contacts" ADD COLUMN IF NOT EXISTS "user_id" varchar(160);--> statement-breakpoint
ALTER TABLE "whatsapp_contacts" ADD COLUMN IF NOT EXISTS "username" varchar(64);--> statement-breakpoint
ALTER TABLE "whatsapp_contacts" ADD COLUMN IF NOT EXISTS "profile_name" text;--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "operators_whatsapp_user_id" ON "operators" USING btree ("whatsapp_user_id") WHERE whatsapp_user_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "whatsapp_contacts_user_id" ON "whatsapp_contacts" USING btree ("user_id") WHERE user_id IS NOT NULL;
