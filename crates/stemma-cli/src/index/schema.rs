//! The index file's schema and its migrations, numbered by SQLite's `user_version`.
//!
//! A file is brought up to [`SCHEMA_VERSION`] by the migrations it lacks, each in its own
//! transaction, so a file is always at some version whole. A file of a later version was
//! written by a newer stemma and is refused: this one cannot know what it would break.

use std::path::Path;

use anyhow::{Result, bail};
use rusqlite::Connection;

/// The schema version this stemma writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Migration `k` brings a file from version `k` to `k + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: documents, their revisions, batches, stored stories and the generation counters.
    "CREATE TABLE revisions (
         row INTEGER PRIMARY KEY,
         id TEXT NOT NULL,
         revision INTEGER NOT NULL,
         text_hash BLOB NOT NULL,
         batch INTEGER NOT NULL,
         record BLOB NOT NULL,
         record_len INTEGER NOT NULL,
         fingerprint BLOB NOT NULL,
         UNIQUE (id, revision)
     );
     CREATE TABLE documents (
         id TEXT PRIMARY KEY,
         row INTEGER NOT NULL REFERENCES revisions (row)
     ) WITHOUT ROWID;
     CREATE TABLE batches (
         batch INTEGER PRIMARY KEY,
         added_at INTEGER NOT NULL,
         documents INTEGER NOT NULL
     );
     CREATE TABLE stories (
         document TEXT PRIMARY KEY,
         story INTEGER NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE state (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
     INSERT INTO state (key, value) VALUES ('generation', 0), ('stories_generation', 0);",
    // 2: `--since` and `stories` look revisions up by batch and stories by number.
    "CREATE INDEX revisions_by_batch ON revisions (batch);
     CREATE INDEX stories_by_story ON stories (story, document);",
];

/// Brings the file up to [`SCHEMA_VERSION`].
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    migrate_to(conn, path, SCHEMA_VERSION)
}

fn migrate_to(conn: &mut Connection, path: &Path, target: i64) -> Result<()> {
    // A file already at the version is the common case, and a reader's: it is checked
    // without the write lock, which a long batch of another process may hold.
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version == target {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if version > SCHEMA_VERSION {
            bail!(
                "{} was written by a newer stemma (index schema {version}; this stemma {} reads \
                 up to {SCHEMA_VERSION}): upgrade stemma to use it",
                path.display(),
                stemma::VERSION
            );
        }
        if version >= target {
            return Ok(());
        }
        if version == 0 {
            // A fresh file holds nothing; anything else without a version is not ours.
            let tables: i64 =
                tx.query_row("SELECT COUNT(*) FROM sqlite_master", [], |row| row.get(0))?;
            if tables > 0 {
                bail!(
                    "{} is an SQLite file, but not a stemma index",
                    path.display()
                );
            }
        }
        tx.execute_batch(MIGRATIONS[version as usize])?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_file_is_upgraded_and_a_newer_one_refused() {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("index.db");
        let mut conn = Connection::open(&path).expect("opened");
        migrate_to(&mut conn, &path, 1).expect("version 1");
        conn.execute("INSERT INTO batches VALUES (1, 0, 0)", [])
            .expect("a batch");
        migrate(&mut conn, &path).expect("upgraded");
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .expect("read");
        assert_eq!(version, SCHEMA_VERSION);
        let batches: i64 = conn
            .query_row("SELECT COUNT(*) FROM batches", [], |row| row.get(0))
            .expect("read");
        assert_eq!(batches, 1);
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .expect("set");
        let error = migrate(&mut conn, &path).expect_err("refused");
        assert!(
            error.to_string().contains("was written by a newer stemma"),
            "{error}"
        );
    }
}
