-- DropIndex
DROP INDEX "feed_position_entity_sequence_idx";

-- CreateIndex
CREATE INDEX "feed_position_entity_sequence_entity_id_idx" ON "feed_position"("entity", "sequence", "entity_id");
