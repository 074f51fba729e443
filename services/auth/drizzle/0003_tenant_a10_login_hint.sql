ALTER TABLE "auth"."link_states" ADD COLUMN "login_hint" text;--> statement-breakpoint
ALTER TABLE "auth"."tenants" ADD COLUMN "first_sync_needs_confirmation" boolean DEFAULT false NOT NULL;