CREATE TABLE "checklist_schedules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "checklist_schedules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"template_id" integer NOT NULL,
	"machine_id" integer NOT NULL,
	"operator_id" integer NOT NULL,
	"timezone" varchar(64) NOT NULL,
	"days_of_week" integer[] NOT NULL,
	"times" text[] NOT NULL,
	"due_after_minutes" integer DEFAULT 120 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checklist_schedules_due_after" CHECK ("checklist_schedules"."due_after_minutes" BETWEEN 1 AND 10080),
	CONSTRAINT "checklist_schedules_days" CHECK (cardinality("checklist_schedules"."days_of_week") >= 1 AND "checklist_schedules"."days_of_week" <@ ARRAY[1,2,3,4,5,6,7]),
	CONSTRAINT "checklist_schedules_times" CHECK (cardinality("checklist_schedules"."times") >= 1)
);
--> statement-breakpoint
ALTER TABLE "checklist_assignments" DROP CONSTRAINT "checklist_assignments_status";--> statement-breakpoint
ALTER TABLE "checklist_assignments" ADD COLUMN "schedule_id" integer;--> statement-breakpoint
ALTER TABLE "checklist_assignments" ADD COLUMN "occurrence_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "checklist_assignments" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "checklist_assignments" ADD COLUMN "missed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "checklist_assignments" ADD COLUMN "completed_late" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "checklist_schedules" ADD CONSTRAINT "checklist_schedules_template_id_checklist_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."checklist_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_schedules" ADD CONSTRAINT "checklist_schedules_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_schedules" ADD CONSTRAINT "checklist_schedules_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "checklist_schedules_next_run" ON "checklist_schedules" USING btree ("next_run_at") WHERE active AND next_run_at IS NOT NULL;--> statement-breakpoint
ALTER TABLE "checklist_assignments" ADD CONSTRAINT "checklist_assignments_schedule_id_checklist_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."checklist_schedules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "checklist_assignments_schedule_occurrence" ON "checklist_assignments" USING btree ("schedule_id","occurrence_at");--> statement-breakpoint
CREATE INDEX "checklist_assignments_due" ON "checklist_assignments" USING btree ("due_at") WHERE due_at IS NOT NULL AND status IN ('pending', 'active');--> statement-breakpoint
ALTER TABLE "checklist_assignments" ADD CONSTRAINT "checklist_assignments_status" CHECK ("checklist_assignments"."status" IN ('pending', 'active', 'completed', 'cancelled', 'missed'));