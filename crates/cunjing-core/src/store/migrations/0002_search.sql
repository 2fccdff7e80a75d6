-- Search index. Short terms (names, their pinyin and initials, ID and phone numbers, places)
-- go into search_terms, searched by prefix or instr(): FTS5's trigram tokenizer finds nothing
-- for the 2-character queries most Chinese names are. Long free text goes into an FTS5 trigram
-- table for queries of 3+ characters. The index is rebuilt from records by the migration hook.

CREATE TABLE search_terms (
    record_id  TEXT NOT NULL REFERENCES records (id),
    register   TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('name', 'pinyin', 'initials', 'number', 'place')),
    term       TEXT NOT NULL COLLATE NOCASE
) STRICT;
CREATE INDEX search_terms_by_term ON search_terms (term COLLATE NOCASE, kind);
CREATE INDEX search_terms_by_record ON search_terms (record_id);

CREATE VIRTUAL TABLE search_text USING fts5 (record_id UNINDEXED, body, tokenize = 'trigram');
