CREATE TABLE "curated_stocks" (
	"symbol" text PRIMARY KEY NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"assumptions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" integer GENERATED ALWAYS AS IDENTITY (sequence name "curated_stocks_position_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "data_imports" (
	"name" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"rows" integer NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "valuation_snapshots" (
	"symbol" text NOT NULL,
	"date" date NOT NULL,
	"eps_ttm" numeric,
	"fcf_per_share" numeric,
	"eps_intrinsic_value" numeric,
	"fcf_intrinsic_value" numeric,
	"effective_intrinsic_value" numeric,
	"preferred_method" text NOT NULL,
	"assumptions" jsonb NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"sample_data" boolean DEFAULT false NOT NULL,
	CONSTRAINT "valuation_snapshots_sample_data_symbol_date_pk" PRIMARY KEY("sample_data","symbol","date"),
	CONSTRAINT "valuation_snapshots_quarter_start" CHECK (extract(day from "valuation_snapshots"."date") = 1 and extract(month from "valuation_snapshots"."date") in (1, 4, 7, 10))
);
