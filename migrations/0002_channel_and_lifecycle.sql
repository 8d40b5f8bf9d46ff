CREATE TABLE "whatsapp_contacts" (
	"phone_number" varchar(16) PRIMARY KEY NOT NULL,
	"last_inbound_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "checklist_assignments" ADD COLUMN "last_expired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "checklist_submissions" ADD COLUMN "needs_review" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "checklist_submissions" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_sessions" ADD COLUMN "awaiting_note" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_sessions" ADD COLUMN "awaiting_start" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_sessions" ADD COLUMN "editing" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_sessions" ADD COLUMN "reminded_at" timestamp with time zone;