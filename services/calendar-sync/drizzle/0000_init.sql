CREATE SCHEMA "calendar_sync";
--> statement-breakpoint
CREATE TABLE "calendar_sync"."processed_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"consumer" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
