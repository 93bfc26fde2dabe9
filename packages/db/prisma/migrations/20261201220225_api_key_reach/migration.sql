-- AlterTable
ALTER TABLE "api_key" ADD COLUMN     "acts_for_members" BOOLEAN NOT NULL DEFAULT true;
