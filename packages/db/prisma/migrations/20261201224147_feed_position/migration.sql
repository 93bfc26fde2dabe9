-- CreateTable
CREATE TABLE "feed_position" (
    "entity_id" UUID NOT NULL,
    "entity" "ChangeEntity" NOT NULL,
    "sequence" BIGINT NOT NULL,

    CONSTRAINT "feed_position_pkey" PRIMARY KEY ("entity_id")
);

-- CreateIndex
CREATE INDEX "feed_position_entity_sequence_idx" ON "feed_position"("entity", "sequence");

-- Every append to change_log moves the entities it names to their new feed position, in the same
-- statement (and so the same transaction, under the change-log lock that orders sequences by
-- commit). A slot's feed item embeds its offer: an offer change moves the offer's live slots as
-- well. One statement-level trigger per INSERT, so a bulk append (a sync batch, the seed) costs one
-- upsert, not one per row.
CREATE FUNCTION "feed_position_follow_change_log"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "feed_position" ("entity_id", "entity", "sequence")
  SELECT moved.entity_id, moved.entity, max(moved.sequence)
    FROM (
      SELECT n."entity_id", n."entity", n."sequence" FROM new_entries n
      UNION ALL
      SELECT s."id", 'SLOT'::"ChangeEntity", n."sequence"
        FROM new_entries n JOIN "slot" s ON s."offer_id" = n."entity_id"
       WHERE n."entity" = 'OFFER' AND s."deleted_at" IS NULL
    ) AS moved
   GROUP BY moved.entity_id, moved.entity
  ON CONFLICT ("entity_id") DO UPDATE SET "sequence" = GREATEST("feed_position"."sequence", EXCLUDED."sequence");
  RETURN NULL;
END
$$;

CREATE TRIGGER "change_log_moves_feed_position"
  AFTER INSERT ON "change_log"
  REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION "feed_position_follow_change_log"();

-- Backfill: every entity at its latest change so far.
INSERT INTO "feed_position" ("entity_id", "entity", "sequence")
SELECT moved.entity_id, moved.entity, max(moved.sequence)
  FROM (
    SELECT c."entity_id", c."entity", c."sequence" FROM "change_log" c
    UNION ALL
    SELECT s."id", 'SLOT'::"ChangeEntity", c."sequence"
      FROM "change_log" c JOIN "slot" s ON s."offer_id" = c."entity_id"
     WHERE c."entity" = 'OFFER' AND s."deleted_at" IS NULL
  ) AS moved
 GROUP BY moved.entity_id, moved.entity;
