-- The send pace every process shares (WHATSAPP_MAX_MESSAGES_PER_SECOND, decision 0017): one row, updated by each outbox claim.
CREATE TABLE "whatsapp_send_pace" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"second" timestamp with time zone NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"sent_next" integer DEFAULT 0 NOT NULL,
	"last_grant" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "whatsapp_send_pace_single_row" CHECK ("whatsapp_send_pace"."id" = 1)
);
