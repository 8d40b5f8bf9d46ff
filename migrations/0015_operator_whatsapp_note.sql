-- What WhatsApp last told about an operator (a changed number or user id, decision 0011), for their page.
ALTER TABLE "operators" ADD COLUMN IF NOT EXISTS "whatsapp_note" text;--> statement-breakpoint
ALTER TABLE "operators" ADD COLUMN IF NOT EXISTS "whatsapp_note_at" timestamp with time zone;
