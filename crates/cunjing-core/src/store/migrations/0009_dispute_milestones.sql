-- The day each dispute first reached each workflow state (issue 6). The dashboard counted the
-- disputes resolved or failed in a month by looking, for every dispute, through its audit
-- entries' JSON for the first entry in that state: ≈ 300 ms per count at 10,000 disputes. The
-- same answer is now kept as the audit entries are written, by a trigger on audit_log (the write
-- path is unchanged), and backfilled here from the audit trail.
--
-- reached_on: the latest step date in the record as it was when it first reached the state,
-- else the day of that write (docs/decisions/0008).
CREATE TABLE dispute_milestones (
    record_id  TEXT NOT NULL REFERENCES records (id),
    status     TEXT NOT NULL,
    reached_on TEXT NOT NULL,
    PRIMARY KEY (record_id, status)
) STRICT, WITHOUT ROWID;
CREATE INDEX dispute_milestones_by_day ON dispute_milestones (status, reached_on);

INSERT OR IGNORE INTO dispute_milestones (record_id, status, reached_on)
SELECT a.record_id, json_extract(a.after, '$.status'),
       coalesce((SELECT max(json_extract(s.value, '$.date')) FROM json_each(a.after, '$.steps') s), substr(a.at, 1, 10))
FROM audit_log a
WHERE a.register = 'disputes' AND json_extract(a.after, '$.status') IS NOT NULL
ORDER BY a.id;

-- The first entry in a state wins (OR IGNORE): audit entries are only ever appended.
CREATE TRIGGER dispute_milestones_from_audit AFTER INSERT ON audit_log
WHEN new.register = 'disputes' AND json_extract(new.after, '$.status') IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO dispute_milestones (record_id, status, reached_on)
    VALUES (new.record_id, json_extract(new.after, '$.status'),
            coalesce((SELECT max(json_extract(s.value, '$.date')) FROM json_each(new.after, '$.steps') s),
                     substr(new.at, 1, 10)));
END;
