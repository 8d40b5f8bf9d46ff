-- The audit trail (src/audit, decision 0015): append-only, enforced by the trigger below.
CREATE TABLE IF NOT EXISTS "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_kind" varchar(8) NOT NULL,
	"actor_user_id" integer,
	"actor_label" text NOT NULL,
	"action" varchar(64) NOT NULL,
	"subject_type" varchar(32) NOT NULL,
	"subject_id" varchar(64) NOT NULL,
	"submission_id" varchar,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "audit_events_actor_kind" CHECK ("audit_events"."actor_kind" IN ('user', 'api', 'system'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_events_submission" ON "audit_events" USING btree ("submission_id","at") WHERE submission_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_events_actor" ON "audit_events" USING btree ("actor_user_id","at") WHERE actor_user_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_events_subject" ON "audit_events" USING btree ("subject_type","subject_id","at");--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
DROP TRIGGER IF EXISTS audit_events_no_change ON "audit_events";--> statement-breakpoint
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();--> statement-breakpoint
DROP TRIGGER IF EXISTS audit_events_no_truncate ON "audit_events";--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
