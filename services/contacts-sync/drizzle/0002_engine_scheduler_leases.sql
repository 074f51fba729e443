CREATE TABLE "contacts_sync"."crm_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "contacts_sync"."crm_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"record_id" text,
	"version" bigint,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contacts_sync"."delta_cursors" ADD COLUMN "created" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_runs" ADD COLUMN "progress" jsonb;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_runs" ADD COLUMN "mode" text;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_users" ADD COLUMN "claimed_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_users" ADD COLUMN "reasons" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_users" ADD COLUMN "due_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_users" ADD COLUMN "waiting_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_users" ADD COLUMN "priority" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_users" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_users" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_users" ADD COLUMN "run_id" uuid;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_users" ADD COLUMN "failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_users" ADD COLUMN "reconcile" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_users" ADD COLUMN "active_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_users" ADD COLUMN "next_poll_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contacts_sync"."sync_users" ADD COLUMN "next_reconcile_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "contacts_sync_crm_changes_user_idx" ON "contacts_sync"."crm_changes" USING btree ("tenant_id","user_id","id");--> statement-breakpoint
CREATE INDEX "contacts_sync_sync_users_due_idx" ON "contacts_sync"."sync_users" USING btree ("priority","waiting_since") WHERE "contacts_sync"."sync_users"."requested_seq" > "contacts_sync"."sync_users"."completed_seq";