CREATE TABLE "dedupe"."decisions" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"group_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"request" jsonb NOT NULL,
	"result" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	"undo_until" timestamp with time zone,
	"undone_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dedupe"."groups" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"scan_id" text NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"record_ids" jsonb NOT NULL,
	"score" double precision NOT NULL,
	"pairs" jsonb NOT NULL,
	"fingerprints" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dedupe"."kept_pairs" (
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"a" text NOT NULL,
	"b" text NOT NULL,
	"fingerprint_a" text NOT NULL,
	"fingerprint_b" text NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kept_pairs_tenant_id_kind_a_b_pk" PRIMARY KEY("tenant_id","kind","a","b")
);
--> statement-breakpoint
CREATE TABLE "dedupe"."reports" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"scan_id" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dedupe"."scans" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text,
	"stats" jsonb
);
--> statement-breakpoint
CREATE TABLE "dedupe"."schedules" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"next_scan_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "decisions_group_idx" ON "dedupe"."decisions" USING btree ("tenant_id","group_id");--> statement-breakpoint
CREATE INDEX "groups_scan_idx" ON "dedupe"."groups" USING btree ("tenant_id","scan_id");--> statement-breakpoint
CREATE INDEX "scans_tenant_idx" ON "dedupe"."scans" USING btree ("tenant_id","started_at");