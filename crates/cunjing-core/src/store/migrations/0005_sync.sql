-- USB sync, office side (docs/bundle-format.md): the station this office is enrolled with
-- and this office's signing key, the bundles exported, and the receipts brought back.

CREATE TABLE sync_identity (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    station_name        TEXT NOT NULL,
    station_recipient   TEXT NOT NULL,        -- age X25519 recipient: bundles are encrypted to it
    station_verify_key  TEXT NOT NULL,        -- Ed25519, hex: receipts and enrollments are signed with it
    station_fingerprint TEXT NOT NULL,
    -- This office's Ed25519 signing key, hex. It lives in the database file, which the
    -- encryption at rest protects (docs/SECURITY.md).
    office_secret_key   TEXT NOT NULL,
    office_public_key   TEXT NOT NULL,
    enrolled_at         TEXT NOT NULL,
    enrollment_issued_at TEXT NOT NULL,       -- tells a re-import of the same file from a new one
    -- A re-enrollment's resume point: the chain continues after the station's last bundle.
    resume_after_seq    INTEGER NOT NULL DEFAULT 0,
    resume_prev_hash    TEXT,
    resume_prev_to      INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE sync_exports (
    seq                 INTEGER PRIMARY KEY CHECK (seq >= 1),
    export_kind         TEXT NOT NULL CHECK (export_kind IN ('changes', 'full', 'unconfirmed')),
    created_at          TEXT NOT NULL,
    from_change_seq     INTEGER NOT NULL,
    to_change_seq       INTEGER NOT NULL,
    prev_to_change_seq  INTEGER NOT NULL,
    record_count        INTEGER NOT NULL,
    bundle_hash         TEXT NOT NULL UNIQUE,
    prev_bundle_hash    TEXT,
    file_path           TEXT NOT NULL,
    bytes               INTEGER NOT NULL
) STRICT;

CREATE TABLE sync_receipts (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    imported_at          TEXT NOT NULL,
    created_at           TEXT NOT NULL,       -- when the station wrote it
    highest_seq          INTEGER NOT NULL,
    received_through_seq INTEGER NOT NULL,
    confirmed_change_seq INTEGER NOT NULL,
    missing              TEXT NOT NULL CHECK (json_valid(missing)),
    rejected             TEXT NOT NULL CHECK (json_valid(rejected)),
    receipt_hash         TEXT NOT NULL UNIQUE
) STRICT;
