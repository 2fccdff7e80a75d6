-- What the wall display (警务公开栏) shows besides the office profile: the officer's role and
-- photo, the office's address and phone, days in the village and service hours, the
-- commitments (警务承诺) and safety tips (防范提示). One row; the text fields are JSON (absent keys
-- take the document-based defaults in store/print_profile.rs), the photo is PNG or JPEG bytes.
CREATE TABLE print_profile (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    data        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
    photo       BLOB
) STRICT;
