-- The webhook outbox trigger (migration 20261201233323_webhooks) skips endpoints that are being
-- deleted: it locks the matching endpoints FOR KEY SHARE SKIP LOCKED. Before, a change that
-- committed while an endpoint of its provider was being deleted waited for the delete (holding the
-- change-log lock, so every writer waited) and then failed on the delivery's foreign key.
CREATE OR REPLACE FUNCTION "webhook_outbox_follow_change_log"() RETURNS trigger LANGUAGE plpgsql AS $$
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
     ORDER BY ev."sequence", w."id"
       FOR KEY SHARE OF w SKIP LOCKED;
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
