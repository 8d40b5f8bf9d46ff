-- Issue 14 (docs/decisions/0010-answer-draft.md): the current question's answer under way is kept on the
-- session (draft), and an answer keeps up to 5 photos: the first stays in checklist_submission_answers.
-- photo_filename (the guide's column), the others go here, n = 2..5, deleted with their submission.
CREATE TABLE IF NOT EXISTS "checklist_submission_answer_photos" (
	"submission_id" varchar NOT NULL,
	"position" integer NOT NULL,
	"n" integer NOT NULL,
	"photo_filename" varchar(128) NOT NULL,
	CONSTRAINT "checklist_submission_answer_photos_submission_id_position_n_pk" PRIMARY KEY("submission_id","position","n"),
	CONSTRAINT "checklist_submission_answer_photos_n" CHECK ("checklist_submission_answer_photos"."n" BETWEEN 2 AND 5),
	CONSTRAINT "checklist_submission_answer_photos_submission_id_checklist_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."checklist_submissions"("id") ON DELETE cascade ON UPDATE no action
);
--> statement-breakpoint
ALTER TABLE "whatsapp_conversation_sessions" ADD COLUMN IF NOT EXISTS "draft" jsonb;
