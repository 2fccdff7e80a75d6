-- What the desktop app's first-run setup asks for (the wall display and letters need it too),
-- and the office's own targets (JSON; absent keys take the document's defaults).
ALTER TABLE office ADD COLUMN police_number TEXT NOT NULL DEFAULT '';
ALTER TABLE office ADD COLUMN officer_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE office ADD COLUMN station_name TEXT NOT NULL DEFAULT '';
ALTER TABLE office ADD COLUMN station_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE office ADD COLUMN targets TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(targets));
