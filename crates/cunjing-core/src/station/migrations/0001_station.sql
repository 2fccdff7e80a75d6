-- The county station (派出所/县局) database: its keys, the offices it enrolled and the keys it
-- pinned for them, every bundle imported or refused, and the merged records of all offices.

CREATE TABLE station (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    name          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    age_identity  TEXT NOT NULL,     -- AGE-SECRET-KEY-1…: decrypts bundles
    signing_key   TEXT NOT NULL,     -- Ed25519, hex: signs enrollment files and receipts
    fingerprint   TEXT NOT NULL
) STRICT;

CREATE TABLE offices (
    code                 TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    enrolled_at          TEXT NOT NULL,
    enrollment_issued_at TEXT NOT NULL,   -- the newest enrollment file handed out
    public_key           TEXT,            -- the pinned office key (hex), NULL until its key file arrives
    key_fingerprint      TEXT,
    key_pinned_at        TEXT,
    -- A re-enrollment is outstanding: the next key file may replace the pinned key (new laptop).
    rekey_allowed        INTEGER NOT NULL DEFAULT 0 CHECK (rekey_allowed IN (0, 1))
) STRICT;

CREATE TABLE retired_office_keys (
    office_code     TEXT NOT NULL REFERENCES offices (code),
    public_key      TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    retired_at      TEXT NOT NULL
) STRICT;

CREATE TABLE bundles (
    office_code        TEXT NOT NULL REFERENCES offices (code),
    seq                INTEGER NOT NULL,
    bundle_hash        TEXT NOT NULL UNIQUE,
    prev_bundle_hash   TEXT,
    export_kind        TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    imported_at        TEXT NOT NULL,
    from_change_seq    INTEGER NOT NULL,
    to_change_seq      INTEGER NOT NULL,
    prev_to_change_seq INTEGER NOT NULL,
    record_count       INTEGER NOT NULL,
    key_fingerprint    TEXT NOT NULL,
    file_name          TEXT NOT NULL,
    PRIMARY KEY (office_code, seq)
) STRICT;

-- Bundles refused although their signature was good (so the office is known): for the clerk
-- and for the office's receipt. Forgeries that fail the signature are reported, not stored.
CREATE TABLE rejections (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    office_code  TEXT NOT NULL REFERENCES offices (code),
    seq          INTEGER NOT NULL,
    bundle_hash  TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    code         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    at           TEXT NOT NULL
) STRICT;

-- The latest version received of every record of every office (same envelope as the office's
-- records table; the office's own change number is kept, not unique across offices).
CREATE TABLE county_records (
    id            TEXT PRIMARY KEY,
    office_code   TEXT NOT NULL REFERENCES offices (code),
    register      TEXT NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 1),
    change_seq    INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    voided        INTEGER NOT NULL CHECK (voided IN (0, 1)),
    void_reason   TEXT,
    record_date   TEXT,
    household_id  TEXT,
    title         TEXT NOT NULL,
    data          TEXT NOT NULL,
    content_hash  TEXT NOT NULL,     -- canonical hash of the flat record: same version, same content
    bundle_seq    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX county_records_by_office ON county_records (office_code, register, record_date);
CREATE INDEX county_records_by_register ON county_records (register, record_date);
