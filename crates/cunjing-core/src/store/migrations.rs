//! Schema versions. Each migration is one SQL file beside this module, applied in order inside
//! one transaction by `rusqlite_migration` (which keeps the version in `PRAGMA user_version`).
//! A file written by a newer schema is refused before anything is touched.

use rusqlite::{Connection, Transaction};
use rusqlite_migration::{HookResult, M, Migrations};

use crate::error::{CoreError, CoreResult};

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_records.sql")),
        // Records written before the search index existed are indexed by 0004's hook: a hook runs
        // today's indexing code, which needs the schema as it is after 0004.
        M::up(include_str!("migrations/0002_search.sql")),
        M::up(include_str!("migrations/0003_office_profile.sql")),
        M::up_with_hook(include_str!("migrations/0004_faster_writes.sql"), |tx: &Transaction| -> HookResult {
            // Rebuilt whole: indexes records of v1 files, and fills the new map for v2/v3 files.
            super::search_index::reindex_all(tx).map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))
        }),
        M::up(include_str!("migrations/0005_sync.sql")),
        M::up(include_str!("migrations/0006_print_profile.sql")),
        M::up(include_str!("migrations/0007_view_log.sql")),
        M::up(include_str!("migrations/0008_search_fragments.sql")),
        M::up(include_str!("migrations/0009_dispute_milestones.sql")),
        M::up(include_str!("migrations/0010_state_indexes.sql")),
        M::up(include_str!("migrations/0011_idle_lock.sql")),
        M::up(include_str!("migrations/0012_title_index.sql")),
        M::up(include_str!("migrations/0013_date_order_index.sql")),
    ])
}

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    // One entry per file above.
    13
}

/// Refuses a file written by a newer build (reads only).
pub fn refuse_newer(conn: &Connection) -> CoreResult<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > latest_version() {
        return Err(CoreError::SchemaTooNew { found, supported: latest_version() });
    }
    Ok(())
}

/// Brings `conn` to the latest schema, or refuses a file from a newer build.
pub fn migrate(conn: &mut Connection) -> CoreResult<()> {
    refuse_newer(conn)?;
    migrations().to_latest(conn)?;
    Ok(())
}

/// Applies migrations up to `version` only: used by tests to make files of older builds.
#[doc(hidden)]
pub fn migrate_to(conn: &mut Connection, version: usize) -> CoreResult<()> {
    migrations().to_version(conn, version)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_latest_matches() {
        assert!(migrations().validate().is_ok());
        let mut conn = Connection::open_in_memory().expect("memory db");
        migrate(&mut conn).expect("migrates");
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("version");
        assert_eq!(v, latest_version());
    }
}
