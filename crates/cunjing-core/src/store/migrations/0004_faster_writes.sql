-- Two fixes for saves that got slower with every record kept (a big office's 100,000 records:
-- a bulk load took most of an hour; each single save paid a scan of whole tables).

-- 1. Where each record's row of the FTS5 table is. FTS5 finds rows only by rowid or MATCH: its
-- record_id column is UNINDEXED, so "DELETE FROM search_text WHERE record_id = ?" (run by every
-- save, to replace the record's text) scanned the whole table. With this map the row is
-- replaced by rowid. The index is rebuilt by the migration hook.
CREATE TABLE search_text_rows (
    record_id   TEXT PRIMARY KEY REFERENCES records (id),
    text_rowid  INTEGER NOT NULL UNIQUE
) STRICT;

-- 2. A create writes its change-log row before its record row (the record carries the change's
-- sequence number), so the deferred foreign key changes.record_id is briefly unresolved, and
-- inserting the record makes SQLite look for the change-log rows that point to it. Without an
-- index on the child column that look-up read the whole change log on every create.
CREATE INDEX changes_by_record ON changes (record_id);
