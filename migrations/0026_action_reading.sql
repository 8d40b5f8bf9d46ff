ALTER TABLE "corrective_actions" ADD COLUMN "value_numeric" numeric;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD COLUMN "unit" varchar(16);--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD COLUMN "min_value" numeric;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD COLUMN "max_value" numeric;--> statement-breakpoint
-- Data: actions opened before this migration take their reading from the answer as it is now (for one reworked
-- since, that is the reworked value; a new action copies it when it opens).
UPDATE "corrective_actions" c SET "value_numeric" = a."value_numeric", "unit" = a."unit", "min_value" = a."min_value", "max_value" = a."max_value" FROM "checklist_submission_answers" a WHERE a."submission_id" = c."submission_id" AND a."position" = c."position" AND a."value_numeric" IS NOT NULL AND c."value_numeric" IS NULL;
