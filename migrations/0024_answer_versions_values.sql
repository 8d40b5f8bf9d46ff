ALTER TABLE "submission_answer_versions" ADD COLUMN "task_type" varchar(8);--> statement-breakpoint
ALTER TABLE "submission_answer_versions" ADD COLUMN "value_numeric" numeric;--> statement-breakpoint
ALTER TABLE "submission_answer_versions" ADD COLUMN "value_text" text;--> statement-breakpoint
ALTER TABLE "submission_answer_versions" ADD COLUMN "option_key" varchar(32);--> statement-breakpoint
ALTER TABLE "submission_answer_versions" ADD COLUMN "unit" varchar(16);--> statement-breakpoint
ALTER TABLE "submission_answer_versions" ADD COLUMN "min_value" numeric;--> statement-breakpoint
ALTER TABLE "submission_answer_versions" ADD COLUMN "max_value" numeric;