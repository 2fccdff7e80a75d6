-- Who looked at restricted records (重点对象/关注对象) and when: every detail view, list page and
-- print is one row. Kept apart from audit_log, which records changes (its rows carry record
-- versions and feed sync); a view changes nothing. Append-only, chained by hash like audit_log,
-- so a removed or edited row breaks the chain.
CREATE TABLE view_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    register    TEXT NOT NULL,
    -- NULL for a list page or a print of many records.
    record_id   TEXT,
    -- 'show', 'list', 'history', 'print', 'export'
    action      TEXT NOT NULL,
    -- What was asked for (the list filter, the number of rows shown), as JSON.
    detail      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
) STRICT;
CREATE INDEX view_log_record ON view_log (record_id);
CREATE TRIGGER view_log_no_update BEFORE UPDATE ON view_log
BEGIN SELECT RAISE(ABORT, 'view_log is append-only'); END;
CREATE TRIGGER view_log_no_delete BEFORE DELETE ON view_log
BEGIN SELECT RAISE(ABORT, 'view_log is append-only'); END;
