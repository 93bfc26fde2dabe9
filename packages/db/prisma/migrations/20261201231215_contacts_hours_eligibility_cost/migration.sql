-- CreateEnum
CREATE TYPE "LanguageExam" AS ENUM ('DTZ', 'LEBEN_IN_DEUTSCHLAND', 'DTB_A2', 'DTB_B1', 'DTB_B2', 'DTB_C1', 'TELC_A1', 'TELC_A2', 'TELC_B1', 'TELC_B2', 'TELC_C1', 'GOETHE_A1', 'GOETHE_A2', 'GOETHE_B1', 'GOETHE_B2', 'GOETHE_C1', 'OTHER');

-- CreateEnum
CREATE TYPE "ResidenceStatus" AS ENUM ('ASYLUM_APPLICANT', 'ASYLUM_APPLICANT_GOOD_PROSPECTS', 'TOLERATED', 'RECOGNISED_REFUGEE', 'EU_CITIZEN', 'OTHER_IMMIGRANT', 'ANYONE');

-- CreateEnum
CREATE TYPE "GenderRestriction" AS ENUM ('WOMEN', 'MEN');

-- CreateEnum
CREATE TYPE "LiteracyRequirement" AS ENUM ('NONE', 'ANY_SCRIPT', 'LATIN_SCRIPT');

-- CreateEnum
CREATE TYPE "CostUnit" AS ENUM ('ONCE', 'PER_MONTH', 'PER_SESSION', 'PER_TEACHING_UNIT', 'PER_MODULE');

-- CreateEnum
CREATE TYPE "CostExemptionKind" AS ENUM ('BERECHTIGUNGSSCHEIN', 'BUERGERGELD', 'ASYLBLG', 'SOCIAL_ASSISTANCE', 'BONUS_CARD', 'LOW_INCOME', 'OTHER');

-- CreateEnum
CREATE TYPE "ContactRole" AS ENUM ('INTEGRATION_MANAGEMENT', 'MIGRATION_COUNSELLING_ADULTS', 'YOUTH_MIGRATION_SERVICE', 'REFUGEE_COUNSELLING', 'VOLUNTEER_COORDINATION', 'LANGUAGE_COURSE_COUNSELLING', 'OTHER');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "CourseType" ADD VALUE 'ELTERNINTEGRATIONSKURS';
ALTER TYPE "CourseType" ADD VALUE 'FRAUENINTEGRATIONSKURS';
ALTER TYPE "CourseType" ADD VALUE 'ZWEITSCHRIFTLERNERKURS';
ALTER TYPE "CourseType" ADD VALUE 'FOERDERKURS';
ALTER TYPE "CourseType" ADD VALUE 'INTENSIVKURS';

-- AlterTable
ALTER TABLE "course_details" ADD COLUMN     "exams" "LanguageExam"[] DEFAULT ARRAY[]::"LanguageExam"[];

-- AlterTable
ALTER TABLE "location" ADD COLUMN     "opening_hours" JSONB;

-- AlterTable
ALTER TABLE "offer" ADD COLUMN     "registration_note" TEXT,
ADD COLUMN     "registration_url" TEXT,
ADD COLUMN     "verified_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "offer_eligibility" (
    "offer_id" UUID NOT NULL,
    "residence_statuses" "ResidenceStatus"[] DEFAULT ARRAY[]::"ResidenceStatus"[],
    "min_age" INTEGER,
    "max_age" INTEGER,
    "bamf_admission_required" BOOLEAN,
    "gender_restriction" "GenderRestriction",
    "min_german_level" "CefrLevel",
    "literacy" "LiteracyRequirement",

    CONSTRAINT "offer_eligibility_pkey" PRIMARY KEY ("offer_id")
);

-- CreateTable
CREATE TABLE "offer_cost_option" (
    "offer_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'EUR',
    "unit" "CostUnit" NOT NULL DEFAULT 'ONCE',
    "covers" TEXT,
    "conditions" TEXT,

    CONSTRAINT "offer_cost_option_pkey" PRIMARY KEY ("offer_id","position")
);

-- CreateTable
CREATE TABLE "offer_cost_exemption" (
    "offer_id" UUID NOT NULL,
    "kind" "CostExemptionKind" NOT NULL,
    "free" BOOLEAN NOT NULL DEFAULT true,
    "note" TEXT,

    CONSTRAINT "offer_cost_exemption_pkey" PRIMARY KEY ("offer_id","kind")
);

-- CreateTable
CREATE TABLE "offer_service_area" (
    "offer_id" UUID NOT NULL,
    "municipality_ags" VARCHAR(8) NOT NULL,

    CONSTRAINT "offer_service_area_pkey" PRIMARY KEY ("offer_id","municipality_ags")
);

-- CreateTable
CREATE TABLE "contact" (
    "id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "role" "ContactRole" NOT NULL,
    "office_name" TEXT NOT NULL,
    "phone" TEXT,
    "email" TEXT,
    "website" TEXT,
    "street" TEXT,
    "postal_code" TEXT,
    "city" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "note" TEXT,
    "opening_hours" JSONB,
    "verified_at" TIMESTAMPTZ(3),
    "content_hash" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "is_sample" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_language" (
    "contact_id" UUID NOT NULL,
    "language_code" TEXT NOT NULL,

    CONSTRAINT "contact_language_pkey" PRIMARY KEY ("contact_id","language_code")
);

-- CreateTable
CREATE TABLE "contact_service_area" (
    "contact_id" UUID NOT NULL,
    "municipality_ags" VARCHAR(8) NOT NULL,

    CONSTRAINT "contact_service_area_pkey" PRIMARY KEY ("contact_id","municipality_ags")
);

-- CreateIndex
CREATE INDEX "offer_service_area_municipality_ags_offer_id_idx" ON "offer_service_area"("municipality_ags", "offer_id");

-- CreateIndex
CREATE UNIQUE INDEX "contact_provider_id_external_id_key" ON "contact"("provider_id", "external_id");

-- CreateIndex
CREATE INDEX "contact_service_area_municipality_ags_idx" ON "contact_service_area"("municipality_ags");

-- AddForeignKey
ALTER TABLE "offer_eligibility" ADD CONSTRAINT "offer_eligibility_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_cost_option" ADD CONSTRAINT "offer_cost_option_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_cost_exemption" ADD CONSTRAINT "offer_cost_exemption_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_service_area" ADD CONSTRAINT "offer_service_area_offer_id_fkey" FOREIGN KEY ("offer_id") REFERENCES "offer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer_service_area" ADD CONSTRAINT "offer_service_area_municipality_ags_fkey" FOREIGN KEY ("municipality_ags") REFERENCES "municipality"("ags") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_language" ADD CONSTRAINT "contact_language_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_language" ADD CONSTRAINT "contact_language_language_code_fkey" FOREIGN KEY ("language_code") REFERENCES "language"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_service_area" ADD CONSTRAINT "contact_service_area_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_service_area" ADD CONSTRAINT "contact_service_area_municipality_ags_fkey" FOREIGN KEY ("municipality_ags") REFERENCES "municipality"("ags") ON DELETE RESTRICT ON UPDATE CASCADE;
