CREATE TABLE "submission_answer_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "submission_answer_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"submission_id" varchar NOT NULL,
	"position" integer NOT NULL,
	"rework_id" varchar NOT NULL,
	"task_text" text,
	"status" varchar(8) NOT NULL,
	"remarks" text,
	"photos" text[] NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	"replaced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "submission_reworks" (
	"id" varchar PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"submission_id" varchar NOT NULL,
	"positions" integer[] NOT NULL,
	"tasks" jsonb NOT NULL,
	"comment" text NOT NULL,
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"requested_by" integer,
	"requested_by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	CONSTRAINT "submission_reworks_status" CHECK ("submission_reworks"."status" IN ('pending', 'active', 'completed', 'cancelled', 'expired')),
	CONSTRAINT "submission_reworks_positions" CHECK (cardinality("submission_reworks"."positions") >= 1)
);
--> statement-breakpoint
ALTER TABLE "checklist_submissions" ADD COLUMN "review_status" varchar(16);--> statement-breakpoint
ALTER TABLE "checklist_submissions" ADD COLUMN "review_comment" text;--> statement-breakpoint
ALTER TABLE "system_config" ADD COLUMN "review_every_submission" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_sessions" ADD COLUMN "rework_id" varchar;--> statement-breakpoint
ALTER TABLE "submission_answer_versions" ADD CONSTRAINT "submission_answer_versions_submission_id_checklist_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."checklist_submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_answer_versions" ADD CONSTRAINT "submission_answer_versions_rework_id_submission_reworks_id_fk" FOREIGN KEY ("rework_id") REFERENCES "public"."submission_reworks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_reworks" ADD CONSTRAINT "submission_reworks_submission_id_checklist_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."checklist_submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_reworks" ADD CONSTRAINT "submission_reworks_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "submission_answer_versions_submission" ON "submission_answer_versions" USING btree ("submission_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "submission_reworks_one_open" ON "submission_reworks" USING btree ("submission_id") WHERE status IN ('pending', 'active');--> statement-breakpoint
CREATE INDEX "submission_reworks_pending" ON "submission_reworks" USING btree ("created_at") WHERE status = 'pending';--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_sessions" ADD CONSTRAINT "whatsapp_conversation_sessions_rework_id_submission_reworks_id_fk" FOREIGN KEY ("rework_id") REFERENCES "public"."submission_reworks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_submissions" ADD CONSTRAINT "checklist_submissions_review_status" CHECK ("checklist_submissions"."review_status" IN ('not_required', 'pending', 'approved', 'rejected', 'rework'));--> statement-breakpoint
-- Data step: submissions confirmed before this migration get their review state from the old flag
-- (pending: waiting for review; approved: marked reviewed; the rest needed none), and needs_review
-- stays true exactly while pending.
UPDATE "checklist_submissions" SET
  "review_status" = CASE
    WHEN "needs_review" AND "reviewed_at" IS NULL THEN 'pending'
    WHEN "needs_review" THEN 'approved'
    ELSE 'not_required'
  END,
  "needs_review" = "needs_review" AND "reviewed_at" IS NULL
WHERE "status" = 'completed';
