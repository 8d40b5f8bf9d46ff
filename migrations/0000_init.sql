CREATE TABLE "checklist_assignments" (
	"id" varchar PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"template_id" integer NOT NULL,
	"machine_id" integer NOT NULL,
	"operator_id" integer NOT NULL,
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"status_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "checklist_assignments_status" CHECK ("checklist_assignments"."status" IN ('pending', 'active', 'completed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "checklist_submission_answers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "checklist_submission_answers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"submission_id" varchar NOT NULL,
	"task_id" integer NOT NULL,
	"position" integer NOT NULL,
	"status" varchar(8) NOT NULL,
	"remarks" text,
	"photo_filename" varchar(128),
	"answered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "checklist_submission_answers_status" CHECK ("checklist_submission_answers"."status" IN ('OK', 'NOT_OK', 'NA'))
);
--> statement-breakpoint
CREATE TABLE "checklist_submissions" (
	"id" varchar PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assignment_id" varchar NOT NULL,
	"template_id" integer NOT NULL,
	"machine_id" integer NOT NULL,
	"operator_id" integer NOT NULL,
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "checklist_submissions_status" CHECK ("checklist_submissions"."status" IN ('pending', 'completed', 'expired', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "checklist_template_tasks" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "checklist_template_tasks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"template_id" integer NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	"requires_photo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "checklist_template_tasks_position_positive" CHECK ("checklist_template_tasks"."position" >= 1)
);
--> statement-breakpoint
CREATE TABLE "checklist_templates" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "checklist_templates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "machines" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "machines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"code" varchar(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "machines_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "operators" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "operators_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"phone_number" varchar(16) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operators_phone_number_unique" UNIQUE("phone_number"),
	CONSTRAINT "operators_phone_e164" CHECK ("operators"."phone_number" ~ '^\+[1-9][0-9]{6,14}$')
);
--> statement-breakpoint
CREATE TABLE "system_config" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"whatsapp_enabled" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "system_config_single_row" CHECK ("system_config"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "whatsapp_conversation_sessions" (
	"id" varchar PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone_number" varchar NOT NULL,
	"assignment_id" varchar,
	"submission_id" varchar NOT NULL,
	"template_id" integer NOT NULL,
	"machine_id" integer NOT NULL,
	"operator_id" integer NOT NULL,
	"status" varchar NOT NULL,
	"current_task_index" integer NOT NULL,
	"total_tasks" integer NOT NULL,
	"answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"pending_photo_url" varchar,
	"last_message_at" timestamp,
	"created_at" timestamp DEFAULT now(),
	"expires_at" timestamp NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "whatsapp_conversation_sessions_status" CHECK ("whatsapp_conversation_sessions"."status" IN ('active', 'completed', 'expired', 'cancelled')),
	CONSTRAINT "whatsapp_conversation_sessions_task_index" CHECK ("whatsapp_conversation_sessions"."current_task_index" >= 0 AND "whatsapp_conversation_sessions"."current_task_index" <= "whatsapp_conversation_sessions"."total_tasks")
);
--> statement-breakpoint
CREATE TABLE "whatsapp_inbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "whatsapp_inbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"wa_message_id" varchar(256) NOT NULL,
	"phone_number" varchar(16) NOT NULL,
	"type" varchar(32) NOT NULL,
	"payload" jsonb NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "whatsapp_inbox_wa_message_id_unique" UNIQUE("wa_message_id"),
	CONSTRAINT "whatsapp_inbox_status" CHECK ("whatsapp_inbox"."status" IN ('pending', 'processed', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "whatsapp_outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "whatsapp_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"phone_number" varchar(16) NOT NULL,
	"session_id" varchar,
	"kind" varchar(16) NOT NULL,
	"payload" jsonb NOT NULL,
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"wa_message_id" varchar(256),
	"error_code" integer,
	"error_title" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"status_at" timestamp with time zone,
	CONSTRAINT "whatsapp_outbox_wa_message_id_unique" UNIQUE("wa_message_id"),
	CONSTRAINT "whatsapp_outbox_status" CHECK ("whatsapp_outbox"."status" IN ('pending', 'sending', 'sent', 'delivered', 'read', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "checklist_assignments" ADD CONSTRAINT "checklist_assignments_template_id_checklist_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."checklist_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_assignments" ADD CONSTRAINT "checklist_assignments_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_assignments" ADD CONSTRAINT "checklist_assignments_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_submission_answers" ADD CONSTRAINT "checklist_submission_answers_submission_id_checklist_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."checklist_submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_submission_answers" ADD CONSTRAINT "checklist_submission_answers_task_id_checklist_template_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."checklist_template_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_submissions" ADD CONSTRAINT "checklist_submissions_assignment_id_checklist_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."checklist_assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_submissions" ADD CONSTRAINT "checklist_submissions_template_id_checklist_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."checklist_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_submissions" ADD CONSTRAINT "checklist_submissions_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_submissions" ADD CONSTRAINT "checklist_submissions_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_template_tasks" ADD CONSTRAINT "checklist_template_tasks_template_id_checklist_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."checklist_templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_sessions" ADD CONSTRAINT "whatsapp_conversation_sessions_assignment_id_checklist_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."checklist_assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_sessions" ADD CONSTRAINT "whatsapp_conversation_sessions_submission_id_checklist_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."checklist_submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_outbox" ADD CONSTRAINT "whatsapp_outbox_session_id_whatsapp_conversation_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."whatsapp_conversation_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "checklist_assignments_status_created" ON "checklist_assignments" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "checklist_assignments_operator" ON "checklist_assignments" USING btree ("operator_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "checklist_submission_answers_submission_position" ON "checklist_submission_answers" USING btree ("submission_id","position");--> statement-breakpoint
CREATE INDEX "checklist_submissions_assignment" ON "checklist_submissions" USING btree ("assignment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "checklist_template_tasks_template_position" ON "checklist_template_tasks" USING btree ("template_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "whatsapp_sessions_one_active_per_assignment" ON "whatsapp_conversation_sessions" USING btree ("assignment_id") WHERE status = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "whatsapp_sessions_one_active_per_phone" ON "whatsapp_conversation_sessions" USING btree ("phone_number") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "whatsapp_sessions_status_expires" ON "whatsapp_conversation_sessions" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "whatsapp_inbox_pending" ON "whatsapp_inbox" USING btree ("phone_number","sent_at","id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "whatsapp_outbox_unsent" ON "whatsapp_outbox" USING btree ("phone_number","id") WHERE status IN ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "whatsapp_outbox_created" ON "whatsapp_outbox" USING btree ("created_at");