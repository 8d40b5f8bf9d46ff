-- Corrective actions (src/actions, issue 18 item 3): one per NOT OK answer of a confirmed submission.
CREATE TABLE "corrective_actions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "corrective_actions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"submission_id" varchar NOT NULL,
	"position" integer NOT NULL,
	"machine_id" integer NOT NULL,
	"task_text" text NOT NULL,
	"remarks" text,
	"photo_filename" varchar(128),
	"owner_id" integer,
	"due_at" date,
	"status" varchar(16) DEFAULT 'open' NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "corrective_actions_status" CHECK ("corrective_actions"."status" IN ('open', 'in_progress', 'done', 'wont_fix')),
	CONSTRAINT "corrective_actions_wont_fix_reason" CHECK ("corrective_actions"."status" <> 'wont_fix' OR "corrective_actions"."note" IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_submission_id_checklist_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."checklist_submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "corrective_actions_submission_position" ON "corrective_actions" USING btree ("submission_id","position");--> statement-breakpoint
CREATE INDEX "corrective_actions_open" ON "corrective_actions" USING btree ("status","due_at") WHERE status IN ('open', 'in_progress');--> statement-breakpoint
CREATE INDEX "corrective_actions_machine" ON "corrective_actions" USING btree ("machine_id","created_at");--> statement-breakpoint
-- Data step: the NOT OK answers of submissions confirmed before this migration get their actions too.
INSERT INTO "corrective_actions" ("submission_id", "position", "machine_id", "task_text", "remarks", "photo_filename", "created_at", "updated_at")
SELECT a.submission_id, a.position, s.machine_id, COALESCE(a.task_text, t.text), a.remarks, a.photo_filename,
       COALESCE(s.completed_at, a.answered_at), COALESCE(s.completed_at, a.answered_at)
FROM "checklist_submission_answers" a
JOIN "checklist_submissions" s ON s.id = a.submission_id
JOIN "checklist_template_tasks" t ON t.id = a.task_id
WHERE a.status = 'NOT_OK' AND s.status = 'completed'
ON CONFLICT ("submission_id", "position") DO NOTHING;
