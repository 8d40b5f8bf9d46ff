ALTER TABLE "checklist_submission_answers" ADD COLUMN "task_type" varchar(8) DEFAULT 'check' NOT NULL;--> statement-breakpoint
ALTER TABLE "checklist_submission_answers" ADD COLUMN "value_numeric" numeric;--> statement-breakpoint
ALTER TABLE "checklist_submission_answers" ADD COLUMN "value_text" text;--> statement-breakpoint
ALTER TABLE "checklist_submission_answers" ADD COLUMN "option_key" varchar(32);--> statement-breakpoint
ALTER TABLE "checklist_submission_answers" ADD COLUMN "unit" varchar(16);--> statement-breakpoint
ALTER TABLE "checklist_submission_answers" ADD COLUMN "min_value" numeric;--> statement-breakpoint
ALTER TABLE "checklist_submission_answers" ADD COLUMN "max_value" numeric;--> statement-breakpoint
ALTER TABLE "checklist_template_tasks" ADD COLUMN "task_type" varchar(8) DEFAULT 'check' NOT NULL;--> statement-breakpoint
ALTER TABLE "checklist_template_tasks" ADD COLUMN "allow_na" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "checklist_template_tasks" ADD COLUMN "unit" varchar(16);--> statement-breakpoint
ALTER TABLE "checklist_template_tasks" ADD COLUMN "min_value" numeric;--> statement-breakpoint
ALTER TABLE "checklist_template_tasks" ADD COLUMN "max_value" numeric;--> statement-breakpoint
ALTER TABLE "checklist_template_tasks" ADD COLUMN "decimals" integer;--> statement-breakpoint
ALTER TABLE "checklist_template_tasks" ADD COLUMN "options" jsonb;--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_sessions" ADD COLUMN "task_definitions" jsonb;--> statement-breakpoint
ALTER TABLE "checklist_submission_answers" ADD CONSTRAINT "checklist_submission_answers_task_type" CHECK ("checklist_submission_answers"."task_type" IN ('check', 'number', 'choice', 'text'));--> statement-breakpoint
ALTER TABLE "checklist_template_tasks" ADD CONSTRAINT "checklist_template_tasks_task_type" CHECK ("checklist_template_tasks"."task_type" IN ('check', 'number', 'choice', 'text'));