-- A list's title filter ("title contains 王") is a substring, which no index can seek; before
-- this every record of the register was read whole to test its title (≈ 20,000 residents at a
-- big office: 15 ms for a page and its total; issue 6). With the titles in an index, SQLite tests
-- each title in the index and reads only the matching records; sorted by title, the page's order
-- (title, then change number) is in the index too, so only the page's records are read. The
-- planner takes it by itself for a register-wide list; a date range or a household still goes
-- to its own, narrower index.
CREATE INDEX records_by_title ON records (register, voided, title, change_seq);
