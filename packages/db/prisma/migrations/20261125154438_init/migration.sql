-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "cube";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "earthdistance";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "DistrictType" AS ENUM ('STADTKREIS', 'LANDKREIS');

-- CreateEnum
CREATE TYPE "TextDirection" AS ENUM ('LTR', 'RTL');

-- CreateEnum
CREATE TYPE "ProviderKind" AS ENUM ('WELFARE_ASSOCIATION', 'ADULT_EDUCATION_CENTRE', 'LANGUAGE_SCHOOL', 'MUNICIPALITY', 'VOLUNTEER_INITIATIVE', 'OTHER');

-- CreateEnum
CREATE TYPE "OfferCategory" AS ENUM ('LANGUAGE_COURSE', 'INTEGRATION_MANAGEMENT', 'MIGRATION_COUNSELLING', 'CIVIC_ENGAGEMENT', 'SCHOOL_TO_WORK', 'CHILDCARE_FAMILY', 'OTHER');

-- CreateEnum
CREATE TYPE "OfferStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "Modality" AS ENUM ('IN_PERSON', 'ONLINE', 'HYBRID');

-- CreateEnum
CREATE TYPE "TranslationStatus" AS ENUM ('ORIGINAL', 'HUMAN_TRANSLATED', 'MACHINE_TRANSLATED', 'OUTDATED');

-- CreateEnum
CREATE TYPE "CourseType" AS ENUM ('INTEGRATIONSKURS', 'JUGENDINTEGRATIONSKURS', 'ELTERN_FRAUENINTEGRATIONSKURS', 'ALPHABETISIERUNGSKURS', 'BERUFSSPRACHKURS', 'ERSTORIENTIERUNGSKURS', 'OTHER');

-- CreateEnum
CREATE TYPE "CefrLevel" AS ENUM ('A1', 'A2', 'B1', 'B2', 'C1', 'C2');

-- CreateEnum
CREATE TYPE "SlotStatus" AS ENUM ('SCHEDULED', 'FULL', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ApiScope" AS ENUM ('OFFERS_WRITE', 'SLOTS_WRITE', 'KEYS_ADMIN');

-- CreateEnum
CREATE TYPE "ChangeEntity" AS ENUM ('OFFER', 'SLOT');

-- CreateEnum
CREATE TYPE "ChangeAction" AS ENUM ('CREATED', 'UPDATED', 'DELETED');

-- CreateTable
CREATE TABLE "region" (
    "code" VARCHAR(3) NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "district" (
    "ags" VARCHAR(5) NOT NULL,
    "name" TEXT NOT NULL,
    "type" "DistrictType" NOT NULL,
    "region_code" VARCHAR(3) NOT NULL,
    "population" INTEGER NOT NULL,
    "area_km2" DECIMAL(10,2) NOT NULL,

    CONSTRAINT "district_pkey" PRIMARY KEY ("ags")
);

-- CreateTable
CREATE TABLE "municipality" (
    "ags" VARCHAR(8) NOT NULL,
    "name" TEXT NOT NULL,
    "district_ags" VARCHAR(5) NOT NULL,
    "population" INTEGER NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "postal_codes" TEXT[],

    CONSTRAINT "municipality_pkey" PRIMARY KEY ("ags")
);

-- CreateTable
CREATE TABLE "language" (
    "code" TEXT NOT NULL,
    "native_name" TEXT NOT NULL,
    "english_name" TEXT NOT NULL,
    "direction" "TextDirection" NOT NULL,
    "script" TEXT NOT NULL,
    "sort_order" INTEGER NOT NULL DEFAULT 100,

    CONSTRAINT "language_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "target_group" (
    "code" TEXT NOT NULL,
    "labels" JSONB NOT NULL,

    CONSTRAINT "target_group_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "programme" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "funding_body" TEXT NOT NULL,
    "parent_id" UUID,
    "period_start" DATE,
    "period_end" DATE,
    "source_note" TEXT NOT NULL,
    "source_url" TEXT,
    "sort_order" INTEGER NOT NULL DEFAULT 100,

    CONSTRAINT "programme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "programme_translation" (
    "programme_id" UUID NOT NULL,
    "language_code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" "TranslationStatus" NOT NULL DEFAULT 'ORIGINAL',

    CONSTRAINT "programme_translation_pkey" PRIMARY KEY ("programme_id","language_code")
);

-- CreateTable
CREATE TABLE "programme_budget" (
    "id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "amount_cents" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'EUR',
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "source_note" TEXT NOT NULL,

    CONSTRAINT "programme_budget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provider" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ProviderKind" NOT NULL,
    "umbrella_id" UUID,
    "email" TEXT,
    "phone" TEXT,
    "website" TEXT,
    "is_sample" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "provider_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "location" (
    "id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "street" TEXT,
    "postal_code" TEXT,
    "city" TEXT,
    "municipality_ags" VARCHAR(8) NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "accessibility_notes" TEXT,
    "is_sample" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "location_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offer" (
    "id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "programme_id" UUID,
    "category" "OfferCategory" NOT NULL,
    "status" "OfferStatus" NOT NULL DEFAULT 'DRAFT',
    "modality" "Modality" NOT NULL DEFAULT 'IN_PERSON',
    "municipality_ags" VARCHAR(8) NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "geo" cube,
    "eligibility" TEXT,
    "cost" TEXT,
    "is_free" BOOLEAN NOT NULL DEFAULT true,
    "contact_email" TEXT,
    "contact_phone" TEXT,
    "website" TEXT,
    "search_text" TEXT NOT NULL DEFAULT '',
    "search_vector" tsvector,
    "content_hash" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "is_sample" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offer_translation" (
    "offer_id" UUID NOT NULL,
    "language_code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "status" "TranslationStatus" NOT NULL DEFAULT 'ORIGINAL',

    CONSTRAINT "offer_translation_pkey" PRIMARY KEY ("offer_id","language_code")
);

-- CreateTable
CREATE TABLE "offer_language" (
    "offer_id" UUID NOT NULL,
    "language_code" TEXT NOT NULL,

    CONSTRAINT "offer_language_pkey" PRIMARY KEY ("offer_id","language_code")
);

-- CreateTable
CREATE TABLE "offer_target_group" (
    "offer_id" UUID NOT NULL,
    "target_group_code" TEXT NOT NULL,

    CONSTRAINT "offer_target_group_pkey" PRIMARY KEY ("offer_id","target_group_code")
);

-- CreateTable
CREATE TABLE "offer_location" (
    "offer_id" UUID NOT NULL,
    "location_id" UUID NOT NULL,

    CONSTRAINT "offer_location_pkey" PRIMARY KEY ("offer_id","location_id")
);

-- CreateTable
CREATE TABLE "course_details" (
    "offer_id" UUID NOT NULL,
    "course_type" "CourseType" NOT NULL,
    "cefr_from" "CefrLevel",
    "cefr_to" "CefrLevel",
    "teaching_units" INTEGER,
    "childcare_available" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "course_details_pkey" PRIMARY KEY ("offer_id")
);

-- CreateTable
CREATE TABLE "slot" (
    "id" UUID NOT NULL,
    "offer_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3),
    "schedule" JSONB,
    "rolling_entry" BOOLEAN NOT NULL DEFAULT false,
    "capacity" INTEGER,
    "seats_available" INTEGER,
    "waiting_list" BOOLEAN NOT NULL DEFAULT false,
    "registration_deadline" TIMESTAMPTZ(3),
    "status" "SlotStatus" NOT NULL DEFAULT 'SCHEDULED',
    "location_id" UUID,
    "seats_updated_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "slot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scopes" "ApiScope"[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "change_log" (
    "sequence" BIGSERIAL NOT NULL,
    "entity" "ChangeEntity" NOT NULL,
    "entity_id" UUID NOT NULL,
    "offer_id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "action" "ChangeAction" NOT NULL,
    "version" INTEGER NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_log_pkey" PRIMARY KEY ("sequence")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "api_key_id" UUID,
    "provider_id" UUID,
    "action" TEXT NOT NULL,
    "entity" TEXT,
    "entity_id" TEXT,
    "details" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_record" (
    "provider_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("provider_id","key")
);

-- CreateIndex
CREATE INDEX "district_region_code_idx" ON "district"("region_code");

-- CreateIndex
CREATE INDEX "municipality_district_ags_idx" ON "municipality"("district_ags");

-- CreateIndex
CREATE INDEX "municipality_name_trgm_idx" ON "municipality" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "programme_slug_key" ON "programme"("slug");

-- CreateIndex
CREATE INDEX "programme_parent_id_idx" ON "programme"("parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "programme_budget_programme_id_period_start_period_end_key" ON "programme_budget"("programme_id", "period_start", "period_end");

-- CreateIndex
CREATE UNIQUE INDEX "provider_slug_key" ON "provider"("slug");

-- CreateIndex
CREATE INDEX "provider_umbrella_id_idx" ON "provider"("umbrella_id");

-- CreateIndex
CREATE INDEX "location_municipality_ags_idx" ON "location"("municipality_ags");

-- CreateIndex
CREATE UNIQUE INDEX "location_provider_id_external_id_key" ON "location"("provider_id", "external_id");

-- CreateIndex
CREATE INDEX "offer_status_deleted_at_category_idx" ON "offer"("status", "deleted_at", "category");

-- CreateIndex
CREATE INDEX "offer_municipality_ags_idx" ON "offer"("municipality_ags");

-- CreateIndex
CREATE INDEX "offer_programme_id_idx" ON "offer"("programme_id");

-- CreateIndex
CREATE INDEX "offer_updated_at_idx" ON "offer"("updated_at");

-- CreateIndex
CREATE INDEX "offer_geo_idx" ON "offer" USING GIST ("geo");

-- CreateIndex
CREATE INDEX "offer_search_vector_idx" ON "offer" USING GIN ("search_vector");

-- CreateIndex
CREATE INDEX "offer_search_text_trgm_idx" ON "offer" USING GIN ("search_text" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "offer_provider_id_external_id_key" ON "offer"("provider_id", "external_id");

-- CreateIndex
CREATE INDEX "offer_language_language_code_idx" ON "offer_language"("language_code");

-- CreateIndex
CREATE INDEX "offer_target_group_target_group_code_idx" ON "offer_target_group"("target_group_code");

-- CreateIndex
CREATE INDEX "offer_location_location_id_idx" ON "offer_location"("location_id");

-- CreateIndex
CREATE INDEX "course_details_course_type_idx" ON "course_details"("course_type");

-- CreateIndex
CREATE INDEX "slot_offer_id_starts_at_idx" ON "slot"("offer_id", "starts_at");

-- CreateIndex
CREATE INDEX "slot_starts_at_idx" ON "slot"("starts_at");

-- CreateIndex
CREATE INDEX "slot_location_id_idx" ON "slot"("location_id");

-- CreateIndex
CREATE UNIQUE INDEX "slot_offer_id_external_id_key" ON "slot"("offer_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_prefix_key" ON "api_key"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key"("hash");

-- CreateIndex
CREATE INDEX "api_key_provider_id_idx" ON "api_key"("provider_id");

-- CreateIndex
CREATE INDEX "change_log_entity_id_idx" ON "change_log"("entity_id");

-- CreateIndex
CREATE INDEX "audit_log_provider_id_at_idx" ON "audit_log"("provider_id", "at");

-- AddForeignKey
ALTER TABLE "district" ADD CONSTRAINT "district_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "municipality" ADD CONSTRAINT "municipality_district_ags_fkey" FOREIGN KEY ("district_ags") REFERENCES "district"("ags") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "programme" ADD CONSTRAINT "programme_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "programme"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "programme_translation" ADD CONSTRAINT "programme_translation_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "programme_translation" ADD CONSTRAINT "programme_translation_language_code_fkey" FOREIGN KEY ("language_code") REFERENCES "language"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "programme_budget" ADD CONSTRAINT "programme_budget_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provider" ADD CONSTRAINT "provider_umbrella_id_fkey" FOREIGN KEY ("umbrella_id") REFERENCES "provider"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "location" ADD CONSTRAINT "location_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "location" ADD CONSTRAINT "location_municipality_ags_fkey" FOREIGN KEY ("municipality_ags") REFERENCES "municipality"("ags") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer" ADD CONSTRAINT "offer_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer" ADD CONSTRAINT "offer_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer" ADD CONSTRAINT "offer_municipality_ags_fkey" FOREIGN KEY ("municipality_ags") REFERENCES "municipality"("ags") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_translation" ADD CONSTRAINT "offer_translation_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_translation" ADD CONSTRAINT "offer_translation_language_code_fkey" FOREIGN KEY ("language_code") REFERENCES "language"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_language" ADD CONSTRAINT "offer_language_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_language" ADD CONSTRAINT "offer_language_language_code_fkey" FOREIGN KEY ("language_code") REFERENCES "language"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_target_group" ADD CONSTRAINT "offer_target_group_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_target_group" ADD CONSTRAINT "offer_target_group_target_group_code_fkey" FOREIGN KEY ("target_group_code") REFERENCES "target_group"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_location" ADD CONSTRAINT "offer_location_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_location" ADD CONSTRAINT "offer_location_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "location"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "course_details" ADD CONSTRAINT "course_details_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slot" ADD CONSTRAINT "slot_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slot" ADD CONSTRAINT "slot_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "location"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idempotency_record" ADD CONSTRAINT "idempotency_record_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
