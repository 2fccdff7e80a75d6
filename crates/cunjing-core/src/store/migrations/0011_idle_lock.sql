-- The desktop app's idle lock (issue 7): after this many minutes without keyboard or mouse
-- activity the app locks and asks for the passphrase again; 0 turns the lock off. Per office,
-- so the setting travels with the database (and its backups).
ALTER TABLE office ADD COLUMN idle_lock_minutes INTEGER NOT NULL DEFAULT 10
    CHECK (idle_lock_minutes BETWEEN 0 AND 240);
