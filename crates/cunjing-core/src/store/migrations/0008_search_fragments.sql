-- Search without scanning every term (issue 6: ≤ 20 ms at a big office's ≈ 1,000,000 terms).
-- Before this, a name, number or place fragment was found by instr() over the whole
-- search_terms table, and a pinyin prefix by `LIKE ?1 || '%'`, which SQLite cannot serve from
-- an index (the pattern is an expression): both scanned every term (≈ 190 ms at 6,000 households).
--
-- Now: prefixes by a range on the term index; fragments of three characters or more through a
-- trigram index of the terms. It is an external-content FTS5 table over search_terms, kept in
-- step by triggers, so the write path (store/search_index.rs) is unchanged.
CREATE VIRTUAL TABLE search_terms_tri USING fts5 (term, content = 'search_terms', content_rowid = 'rowid', tokenize = 'trigram');
INSERT INTO search_terms_tri (search_terms_tri) VALUES ('rebuild');
CREATE TRIGGER search_terms_tri_insert AFTER INSERT ON search_terms BEGIN
    INSERT INTO search_terms_tri (rowid, term) VALUES (new.rowid, new.term);
END;
CREATE TRIGGER search_terms_tri_delete AFTER DELETE ON search_terms BEGIN
    INSERT INTO search_terms_tri (search_terms_tri, rowid, term) VALUES ('delete', old.rowid, old.term);
END;
