-- CreateEnum
CREATE TYPE "WebhookEndpointStatus" AS ENUM ('PENDING_VERIFICATION', 'ACTIVE', 'DISABLED');

-- CreateEnum
CREATE TYPE "WebhookDisabledReason" AS ENUM ('GONE', 'FAILING', 'BY_OWNER', 'UNVERIFIED');

-- CreateEnum
CREATE TYPE "WebhookDeliveryState" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- AlterEnum
ALTER TYPE "ApiScope" ADD VALUE 'WEBHOOKS_ADMIN';

-- CreateTable
CREATE TABLE "webhook_endpoint" (
    "id" UUID NOT NULL,
    "provider_id" UUID,
    "includes_members" BOOLEAN NOT NULL DEFAULT false,
    "district_ags" VARCHAR(5),
    "region_code" VARCHAR(3),
    "url" TEXT NOT NULL,
    "description" TEXT,
    "event_types" TEXT[],
    "status" "WebhookEndpointStatus" NOT NULL DEFAULT 'ACTIVE',
    "disabled_reason" "WebhookDisabledReason",
    "disabled_at" TIMESTAMPTZ(3),
    "secret" TEXT NOT NULL,
    "previous_secret" TEXT,
    "previous_secret_until" TIMESTAMPTZ(3),
    "secret_rotated_at" TIMESTAMPTZ(3),
    "management_secret_hash" TEXT,
    "verification_challenge" TEXT,
    "verified_at" TIMESTAMPTZ(3),
    "registered_by" TEXT,
    "created_by_key_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhook_endpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "sequence" BIGINT,
    "payload" TEXT NOT NULL,
    "state" "WebhookDeliveryState" NOT NULL DEFAULT 'PENDING',
    "attempt_count" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_token" UUID,
    "leased_until" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_status" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_attempt" (
    "id" BIGSERIAL NOT NULL,
    "delivery_id" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "status_code" INTEGER,
    "error" TEXT,
    "response_body" TEXT,

    CONSTRAINT "webhook_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_subject" (
    "entity_id" UUID NOT NULL,
    "entity" "ChangeEntity" NOT NULL,
    "is_public" BOOLEAN NOT NULL,
    "municipality_ags" VARCHAR(8) NOT NULL,
    "seats_available" INTEGER,
    "is_full" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "webhook_subject_pkey" PRIMARY KEY ("entity_id")
);

-- CreateIndex
CREATE INDEX "webhook_endpoint_provider_id_idx" ON "webhook_endpoint"("provider_id");

-- CreateIndex
CREATE INDEX "webhook_endpoint_district_ags_idx" ON "webhook_endpoint"("district_ags");

-- CreateIndex
CREATE INDEX "webhook_endpoint_region_code_idx" ON "webhook_endpoint"("region_code");

-- CreateIndex
CREATE INDEX "webhook_endpoint_registered_by_created_at_idx" ON "webhook_endpoint"("registered_by", "created_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_state_next_attempt_at_idx" ON "webhook_delivery"("state", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_endpoint_id_state_next_attempt_at_idx" ON "webhook_delivery"("endpoint_id", "state", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_endpoint_id_created_at_idx" ON "webhook_delivery"("endpoint_id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_attempt_delivery_id_started_at_idx" ON "webhook_attempt"("delivery_id", "started_at");

-- AddForeignKey
ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "webhook_endpoint_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "webhook_endpoint_district_ags_fkey" FOREIGN KEY ("district_ags") REFERENCES "district"("ags") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "webhook_endpoint_region_code_fkey" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_attempt" ADD CONSTRAINT "webhook_attempt_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- An endpoint is a provider's or an area's (one district or one region), never both.
ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "webhook_endpoint_scope_check" CHECK (
  (provider_id IS NOT NULL AND district_ags IS NULL AND region_code IS NULL)
  OR (provider_id IS NULL AND NOT includes_members AND (district_ags IS NULL) <> (region_code IS NULL))
);

-- The webhook outbox, written in the transaction of every change: each append to change_log (by
-- the write layer, the seed or anything else, under the change-log lock that orders sequences by
-- commit) turns into the events it stands for, one delivery per event and matching endpoint.
-- What an entry means (published or just updated, a slot that became full or available again) is
-- read from the entity's state now against what this trigger saw last time (webhook_subject),
-- which the same statement then moves on. One statement-level trigger per INSERT, like
-- feed_position's; with no active endpoint it only keeps webhook_subject.
CREATE FUNCTION "webhook_outbox_follow_change_log"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "webhook_endpoint" WHERE "status" = 'ACTIVE') THEN
    INSERT INTO "webhook_delivery" ("id", "endpoint_id", "event_type", "sequence", "payload")
    WITH current AS (
      SELECT n."sequence", n."entity", n."entity_id", n."offer_id", n."provider_id", n."action", n."version", n."changed_at",
             o."status"::text AS offer_status, (o."status" = 'PUBLISHED' AND o."deleted_at" IS NULL) AS is_public, o."municipality_ags",
             s."seats_available", s."capacity",
             (s."id" IS NOT NULL AND s."deleted_at" IS NULL AND (s."status" = 'FULL' OR coalesce(s."seats_available" = 0, false))) AS is_full,
             (s."id" IS NOT NULL AND s."deleted_at" IS NULL AND s."status" = 'SCHEDULED') AS is_open,
             p."entity_id" IS NOT NULL AS seen, coalesce(p."is_public", false) AS was_public, p."municipality_ags" AS was_in,
             p."seats_available" AS seats_before, coalesce(p."is_full", false) AS was_full
        FROM new_entries n
        JOIN "offer" o ON o."id" = n."offer_id"
        LEFT JOIN "slot" s ON n."entity" = 'SLOT' AND s."id" = n."entity_id"
        LEFT JOIN "webhook_subject" p ON p."entity_id" = n."entity_id"
    ), events AS (
      SELECT c.*, e."type"
        FROM current c
        CROSS JOIN LATERAL (VALUES
          (CASE WHEN c."entity" = 'OFFER' THEN
             CASE WHEN c."action" = 'DELETED' THEN 'offer.deleted'
                  WHEN c."action" = 'CREATED' THEN 'offer.created'
                  WHEN c.is_public AND NOT c.was_public THEN 'offer.published'
                  WHEN c.was_public AND NOT c.is_public THEN 'offer.unpublished'
                  ELSE 'offer.updated' END END),
          (CASE WHEN c."entity" = 'SLOT' AND c."action" = 'UPDATED' AND c.seen AND c."seats_available" IS DISTINCT FROM c.seats_before THEN 'slot.seats_changed' END),
          (CASE WHEN c."entity" = 'SLOT' AND c."action" = 'UPDATED' AND c.is_full AND NOT c.was_full THEN 'slot.full' END),
          (CASE WHEN c."entity" = 'SLOT' AND c."action" = 'UPDATED' AND c.was_full AND NOT c.is_full AND c.is_open THEN 'slot.available' END)
        ) AS e("type")
       WHERE e."type" IS NOT NULL
    )
    SELECT gen_random_uuid(), w."id", ev."type", ev."sequence",
           jsonb_build_object(
             'type', ev."type",
             'timestamp', to_char(ev."changed_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'data', CASE WHEN ev."entity" = 'OFFER' THEN jsonb_build_object(
                       'sequence', ev."sequence"::text,
                       'offerId', encode(convert_to('Offer:' || ev."offer_id", 'UTF8'), 'base64'),
                       'providerId', encode(convert_to('Provider:' || ev."provider_id", 'UTF8'), 'base64'),
                       'version', ev."version",
                       'status', ev.offer_status,
                       'public', ev.is_public,
                       'deleted', ev."action" = 'DELETED')
                     ELSE jsonb_build_object(
                       'sequence', ev."sequence"::text,
                       'slotId', encode(convert_to('Slot:' || ev."entity_id", 'UTF8'), 'base64'),
                       'offerId', encode(convert_to('Offer:' || ev."offer_id", 'UTF8'), 'base64'),
                       'providerId', encode(convert_to('Provider:' || ev."provider_id", 'UTF8'), 'base64'),
                       'version', ev."version",
                       'seatsAvailable', ev."seats_available",
                       'capacity', ev."capacity",
                       'full', ev.is_full) END
           )::text
      FROM events ev
      JOIN "webhook_endpoint" w ON w."status" = 'ACTIVE' AND ev."type" = ANY (w."event_types")
     WHERE (
             -- A provider's endpoint: its own offers, and its direct members' when it includes them.
             w."provider_id" = ev."provider_id"
             OR (w."includes_members" AND EXISTS (SELECT 1 FROM "provider" pr WHERE pr."id" = ev."provider_id" AND pr."umbrella_id" = w."provider_id"))
           )
        OR (
             -- A public endpoint: public changes only (an offer that was public and no longer is
             -- counts: the mirror must drop it), of offers in its area (where they take place, the
             -- places they serve, or where they were before this change).
             w."provider_id" IS NULL
             AND CASE WHEN ev."entity" = 'OFFER' THEN ev.is_public OR ev.was_public ELSE ev.is_public END
             AND EXISTS (
               SELECT 1 FROM "municipality" m JOIN "district" d ON d."ags" = m."district_ags"
                WHERE (m."ags" = ev."municipality_ags" OR m."ags" = ev.was_in
                       OR m."ags" IN (SELECT sa."municipality_ags" FROM "offer_service_area" sa WHERE sa."offer_id" = ev."offer_id"))
                  AND (m."district_ags" = w."district_ags" OR d."region_code" = w."region_code")
             )
           )
     ORDER BY ev."sequence", w."id";
  END IF;

  INSERT INTO "webhook_subject" ("entity_id", "entity", "is_public", "municipality_ags", "seats_available", "is_full")
  SELECT DISTINCT ON (n."entity_id") n."entity_id", n."entity", (o."status" = 'PUBLISHED' AND o."deleted_at" IS NULL), o."municipality_ags",
         s."seats_available", (s."id" IS NOT NULL AND s."deleted_at" IS NULL AND (s."status" = 'FULL' OR coalesce(s."seats_available" = 0, false)))
    FROM new_entries n
    JOIN "offer" o ON o."id" = n."offer_id"
    LEFT JOIN "slot" s ON n."entity" = 'SLOT' AND s."id" = n."entity_id"
   ORDER BY n."entity_id", n."sequence" DESC
  ON CONFLICT ("entity_id") DO UPDATE SET "is_public" = EXCLUDED."is_public", "municipality_ags" = EXCLUDED."municipality_ags",
                                          "seats_available" = EXCLUDED."seats_available", "is_full" = EXCLUDED."is_full";
  RETURN NULL;
END
$$;

CREATE TRIGGER "change_log_fills_webhook_outbox"
  AFTER INSERT ON "change_log"
  REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION "webhook_outbox_follow_change_log"();

-- Backfill: what the trigger would have seen of every offer and slot so far.
INSERT INTO "webhook_subject" ("entity_id", "entity", "is_public", "municipality_ags", "seats_available", "is_full")
SELECT o."id", 'OFFER'::"ChangeEntity", (o."status" = 'PUBLISHED' AND o."deleted_at" IS NULL), o."municipality_ags", NULL, false FROM "offer" o
UNION ALL
SELECT s."id", 'SLOT'::"ChangeEntity", (o."status" = 'PUBLISHED' AND o."deleted_at" IS NULL), o."municipality_ags", s."seats_available",
       (s."deleted_at" IS NULL AND (s."status" = 'FULL' OR coalesce(s."seats_available" = 0, false)))
  FROM "slot" s JOIN "offer" o ON o."id" = s."offer_id";
