-- The office, its records (one table for every register: typed JSON documents with an
-- envelope of identity, version and provenance), the change log that export bundles follow,
-- per-year record numbers and the append-only audit trail.

CREATE TABLE office (
    id          INTEGER PRIMARY KEY CHECK (id = 1),   -- one office per database file
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    officer     TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE records (
    id           TEXT PRIMARY KEY,                    -- UUID, never changes
    register     TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    change_seq   INTEGER NOT NULL UNIQUE,
    office_code  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    voided       INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
    void_reason  TEXT,
    record_date  TEXT,                                -- the date the record is filed under
    household_id TEXT REFERENCES records (id),
    title        TEXT NOT NULL,                       -- one-line description for lists
    data         TEXT NOT NULL CHECK (json_valid(data)),
    CHECK (voided = 0 OR length(void_reason) > 0)
) STRICT;
CREATE INDEX records_by_register_date ON records (register, voided, record_date, created_at);
CREATE INDEX records_by_household ON records (household_id) WHERE household_id IS NOT NULL;

-- One row per write; AUTOINCREMENT so a sequence number is never reused.
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id  TEXT NOT NULL REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
    version    INTEGER NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('create', 'update', 'void')),
    at         TEXT NOT NULL
) STRICT;

-- The last number given per register and year (2026-纠-001 …): gap-free numbering.
CREATE TABLE record_numbers (
    register  TEXT NOT NULL,
    year      INTEGER NOT NULL,
    last_no   INTEGER NOT NULL,
    PRIMARY KEY (register, year)
) STRICT;

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('create', 'update', 'void')),
    register        TEXT NOT NULL,
    record_id       TEXT NOT NULL REFERENCES records (id) DEFERRABLE INITIALLY DEFERRED,
    version         INTEGER NOT NULL,
    change_seq      INTEGER NOT NULL,
    before          TEXT CHECK (before IS NULL OR json_valid(before)),
    after           TEXT NOT NULL CHECK (json_valid(after)),
    changed_fields  TEXT NOT NULL CHECK (json_valid(changed_fields)),
    reason          TEXT,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX audit_by_record ON audit_log (record_id, id);

-- Nothing is deleted and the audit trail is append-only, whatever a future bug tries.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER records_no_delete BEFORE DELETE ON records
BEGIN SELECT RAISE(ABORT, 'records are voided, never deleted'); END;
CREATE TRIGGER changes_no_delete BEFORE DELETE ON changes
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
