-- The BAMF's course taxonomy: ELTERN_FRAUENINTEGRATIONSKURS named two course types at once. Its
-- courses become FRAUENINTEGRATIONSKURS when they are meant for women (target group WOMEN and not
-- PARENTS), else ELTERNINTEGRATIONSKURS. The values were added by the previous migration, which
-- had to commit before they can be used. The API still accepts the old value and maps it the same
-- way, so clients that send it keep working; nothing stores it any more.
CREATE TEMPORARY TABLE "split_course_type" ON COMMIT DROP AS
SELECT cd."offer_id",
       CASE WHEN EXISTS (SELECT 1 FROM "offer_target_group" g WHERE g."offer_id" = cd."offer_id" AND g."target_group_code" = 'WOMEN')
             AND NOT EXISTS (SELECT 1 FROM "offer_target_group" g WHERE g."offer_id" = cd."offer_id" AND g."target_group_code" = 'PARENTS')
            THEN 'FRAUENINTEGRATIONSKURS'::"CourseType"
            ELSE 'ELTERNINTEGRATIONSKURS'::"CourseType" END AS "course_type"
  FROM "course_details" cd
 WHERE cd."course_type" = 'ELTERN_FRAUENINTEGRATIONSKURS';

UPDATE "course_details" cd SET "course_type" = s."course_type"
  FROM "split_course_type" s WHERE s."offer_id" = cd."offer_id";

-- Each changed offer gets a new version and an UPDATED change-log entry, so that mirrors following
-- the feed pick up the new course type. Under the change-log lock, like every writer (see
-- api/src/writes/change-log.ts).
SELECT pg_advisory_xact_lock(7042002);

WITH bumped AS (
  UPDATE "offer" o SET "version" = o."version" + 1, "updated_at" = now()
    FROM "split_course_type" s WHERE s."offer_id" = o."id" AND o."deleted_at" IS NULL
  RETURNING o."id", o."provider_id", o."version"
)
INSERT INTO "change_log" ("entity", "entity_id", "offer_id", "provider_id", "action", "version")
SELECT 'OFFER'::"ChangeEntity", b."id", b."id", b."provider_id", 'UPDATED'::"ChangeAction", b."version"
  FROM bumped b ORDER BY b."id";
