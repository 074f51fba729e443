CREATE SCHEMA "contacts_sync";
--> statement-breakpoint
CREATE TABLE "contacts_sync"."contact_links" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"id" text NOT NULL,
	"crm_id" text,
	"graph_id" text,
	"crm_version" bigint,
	"graph_change_key" text,
	"base" jsonb,
	"state" text NOT NULL,
	"pending_outlook" jsonb,
	"graph_stamped" boolean DEFAULT false NOT NULL,
	"last_error" text,
	"attempts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "contact_links_tenant_id_user_id_id_pk" PRIMARY KEY("tenant_id","user_id","id")
);
--> statement-breakpoint
CREATE TABLE "contacts_sync"."delta_cursors" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"folder_id" text NOT NULL,
	"cursor" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delta_cursors_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "contacts_sync"."processed_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"consumer" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts_sync"."subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"folder_id" text NOT NULL,
	"client_state" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts_sync"."sync_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"reasons" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"summary" jsonb,
	"error" text,
	"graph_requests" integer
);
--> statement-breakpoint
CREATE TABLE "contacts_sync"."sync_users" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"requested_seq" bigint DEFAULT 0 NOT NULL,
	"completed_seq" bigint DEFAULT 0 NOT NULL,
	"last_reason" text,
	"paused_reason" text,
	"paused_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_users_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "contact_links_crm_uq" ON "contacts_sync"."contact_links" USING btree ("tenant_id","user_id","crm_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_links_graph_uq" ON "contacts_sync"."contact_links" USING btree ("tenant_id","user_id","graph_id");--> statement-breakpoint
CREATE INDEX "contact_links_crm_idx" ON "contacts_sync"."contact_links" USING btree ("tenant_id","crm_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_user_uq" ON "contacts_sync"."subscriptions" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "contacts_sync_sync_runs_user_idx" ON "contacts_sync"."sync_runs" USING btree ("tenant_id","user_id","started_at");