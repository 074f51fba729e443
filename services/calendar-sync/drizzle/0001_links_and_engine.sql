CREATE TABLE "calendar_sync"."crm_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "calendar_sync"."crm_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"record_id" text,
	"version" bigint,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_sync"."delta_cursors" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"calendar_id" text NOT NULL,
	"window_start" text NOT NULL,
	"window_end" text NOT NULL,
	"cursor" text NOT NULL,
	"created" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delta_cursors_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "calendar_sync"."event_links" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"id" text NOT NULL,
	"crm_id" text,
	"crm_version" bigint,
	"graph_id" text,
	"graph_change_key" text,
	"ical_uid" text,
	"exception_ids" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"base" json,
	"state" text NOT NULL,
	"intent" text,
	"transaction_id" text,
	"invited" boolean DEFAULT false NOT NULL,
	"role" text,
	"attendee_copy" boolean DEFAULT false NOT NULL,
	"outlook_removed" boolean DEFAULT false NOT NULL,
	"last_error" text,
	"attempts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "event_links_tenant_id_user_id_id_pk" PRIMARY KEY("tenant_id","user_id","id")
);
--> statement-breakpoint
CREATE TABLE "calendar_sync"."subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"folder_id" text NOT NULL,
	"client_state" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_sync"."sync_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"reasons" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"summary" jsonb,
	"error" text,
	"graph_requests" integer,
	"progress" jsonb,
	"mode" text
);
--> statement-breakpoint
CREATE TABLE "calendar_sync"."sync_users" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"requested_seq" bigint DEFAULT 0 NOT NULL,
	"completed_seq" bigint DEFAULT 0 NOT NULL,
	"claimed_seq" bigint DEFAULT 0 NOT NULL,
	"last_reason" text,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"due_at" timestamp with time zone DEFAULT now() NOT NULL,
	"waiting_since" timestamp with time zone,
	"priority" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"run_id" uuid,
	"failures" integer DEFAULT 0 NOT NULL,
	"reconcile" boolean DEFAULT false NOT NULL,
	"paused_reason" text,
	"paused_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"active_at" timestamp with time zone,
	"next_poll_at" timestamp with time zone,
	"next_reconcile_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_users_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE INDEX "calendar_sync_crm_changes_user_idx" ON "calendar_sync"."crm_changes" USING btree ("tenant_id","user_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "event_links_crm_uq" ON "calendar_sync"."event_links" USING btree ("tenant_id","user_id","crm_id");--> statement-breakpoint
CREATE UNIQUE INDEX "event_links_graph_uq" ON "calendar_sync"."event_links" USING btree ("tenant_id","user_id","graph_id");--> statement-breakpoint
CREATE INDEX "event_links_crm_idx" ON "calendar_sync"."event_links" USING btree ("tenant_id","crm_id");--> statement-breakpoint
CREATE INDEX "event_links_ical_idx" ON "calendar_sync"."event_links" USING btree ("tenant_id","ical_uid");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_user_uq" ON "calendar_sync"."subscriptions" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "calendar_sync_sync_runs_user_idx" ON "calendar_sync"."sync_runs" USING btree ("tenant_id","user_id","started_at");--> statement-breakpoint
CREATE INDEX "calendar_sync_sync_users_due_idx" ON "calendar_sync"."sync_users" USING btree ("priority","waiting_since") WHERE "calendar_sync"."sync_users"."requested_seq" > "calendar_sync"."sync_users"."completed_seq";