//! The persistent index: one SQLite file (WAL) that grows with a crawl, batch by batch,
//! and answers which stories its documents form.
//!
//! What a batch adds is kept whole: every document's record (as `store.rs` encodes it:
//! text, sentences, metadata, zstd-compressed) and its clustering fingerprint. A document
//! is known by its id; the same id with the same text is a no-op, a changed text a new
//! revision that replaces the old one in the stories.
//!
//! **Stories.** Clustering weighs every term by its rarity across the whole corpus (an
//! inverse document frequency over all documents, in a counter table sized by the corpus),
//! and candidates by anchors whose document frequency is capped: one document added
//! changes the weight of its terms in every pair that shares them, and the number of
//! documents changes every weight. No part of the corpus can be reclustered alone and be
//! sure to give what clustering all of it gives. So after each batch commits, the stories
//! are the library's own [`stemma::cluster::cluster`] run over the fingerprints of every
//! current document, read back from the file (nothing is read, extracted or fingerprinted
//! twice), and stored with the generation (the batch) they reflect. That makes the stories
//! exactly those of `stemma cluster` over the same documents, by construction; what the
//! index saves is the reading, which is most of `cluster`'s time.
//!
//! **Concurrency and durability.** A batch is one write transaction: it commits whole or
//! not at all, and a process killed at any moment leaves the batches committed before.
//! Stories are written in a second transaction, only if no newer batch has committed
//! since they were computed; readers that find them older than the documents (a writer
//! killed between the two) compute them in memory from the fingerprints instead. Readers
//! use their own connections and, in WAL mode, never wait for a writer.

mod schema;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

use stemma::cluster::{self, ClusterConfig};
use stemma::fingerprint::{self, Fingerprint};
use stemma::model::Document;

use crate::store;

/// The index file used when none is named.
pub const DEFAULT_PATH: &str = "stemma.db";

/// How long a writer waits for another writer (a server and `stemma index add` on one
/// file) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(600);

/// The file named by `--index`, else `STEMMA_INDEX`, else [`DEFAULT_PATH`].
pub fn resolve_path(flag: Option<&Path>) -> PathBuf {
    if let Some(path) = flag {
        return path.to_path_buf();
    }
    match std::env::var_os("STEMMA_INDEX") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => PathBuf::from(DEFAULT_PATH),
    }
}

/// An open index file.
pub struct Index {
    conn: Connection,
}

/// A document of a batch, read and prepared by the worker that built it.
pub struct Prepared {
    /// Its clustering fingerprint.
    pub fingerprint: Fingerprint,
    /// Its record (`store::encode`).
    pub record: store::Record,
    /// The hash of its text: the same id with the same hash is already indexed.
    pub text_hash: [u8; 16],
}

/// Reads a document into what the index keeps of it.
pub fn prepare(document: &Document) -> std::io::Result<Prepared> {
    Ok(Prepared {
        fingerprint: fingerprint::fingerprint(document, &ClusterConfig::default().fingerprint),
        record: store::encode(document)?,
        text_hash: xxhash_rust::xxh3::xxh3_128(document.text.as_bytes()).to_le_bytes(),
    })
}

/// What became of one document offered to the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new id.
    Added,
    /// A known id with another text: a new revision.
    Revised,
    /// A known id with the same text: nothing to do.
    Unchanged,
}

/// A batch being written: one transaction, committed by [`Batch::commit`].
pub struct Batch<'a> {
    tx: rusqlite::Transaction<'a>,
    batch: i64,
    /// Ids added or revised, in the order offered.
    pub changed: Vec<String>,
    /// Ids offered again with the same text.
    pub unchanged: Vec<String>,
    /// How many of `changed` were revisions.
    pub revised: usize,
}

impl Batch<'_> {
    /// Offers one document.
    pub fn put(&mut self, id: &str, prepared: &Prepared) -> Result<Outcome> {
        let current: Option<(i64, Vec<u8>)> = self
            .tx
            .prepare_cached(
                "SELECT r.revision, r.text_hash FROM documents d JOIN revisions r ON r.row = d.row \
                 WHERE d.id = ?1",
            )?
            .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let revision = match &current {
            Some((_, hash)) if hash.as_slice() == prepared.text_hash => {
                self.unchanged.push(id.to_string());
                return Ok(Outcome::Unchanged);
            }
            Some((revision, _)) => revision + 1,
            None => 1,
        };
        let record_len = i64::try_from(prepared.record.raw_len()).context("a record too long")?;
        self.tx
            .prepare_cached(
                "INSERT INTO revisions (id, revision, text_hash, batch, record, record_len, fingerprint) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                id,
                revision,
                prepared.text_hash.as_slice(),
                self.batch,
                prepared.record.bytes(),
                record_len,
                encode_fingerprint(&prepared.fingerprint),
            ])?;
        let row = self.tx.last_insert_rowid();
        self.tx
            .prepare_cached("INSERT OR REPLACE INTO documents (id, row) VALUES (?1, ?2)")?
            .execute(params![id, row])?;
        self.changed.push(id.to_string());
        if current.is_some() {
            self.revised += 1;
            Ok(Outcome::Revised)
        } else {
            Ok(Outcome::Added)
        }
    }

    /// Commits the batch; a batch that changed nothing leaves no trace.
    pub fn commit(self) -> Result<BatchSummary> {
        let summary = BatchSummary {
            changed: self.changed,
            unchanged: self.unchanged,
            revised: self.revised,
        };
        if summary.changed.is_empty() {
            self.tx.rollback()?;
            return Ok(summary);
        }
        self.tx.execute(
            "INSERT INTO batches (batch, added_at, documents) VALUES (?1, ?2, ?3)",
            params![self.batch, unix_now(), summary.changed.len() as i64],
        )?;
        self.tx.execute(
            "UPDATE state SET value = ?1 WHERE key = 'generation'",
            [self.batch],
        )?;
        self.tx.commit().context("cannot commit the batch")?;
        Ok(summary)
    }
}

/// What a committed batch did.
pub struct BatchSummary {
    /// Ids added or revised.
    pub changed: Vec<String>,
    /// Ids offered again with the same text.
    pub unchanged: Vec<String>,
    /// How many of `changed` were revisions.
    pub revised: usize,
}

/// The stories of the index at one generation, numbered as `stemma cluster` numbers them.
pub struct Stories {
    /// The generation (last batch) they reflect.
    pub generation: i64,
    /// The document ids of each story, story `k` being `s{k+1}`, members by id.
    pub members: Vec<Vec<String>>,
}

impl Stories {
    /// The index (0-based) of the story holding each document.
    pub fn story_of(&self) -> HashMap<&str, usize> {
        self.members
            .iter()
            .enumerate()
            .flat_map(|(k, ids)| ids.iter().map(move |id| (id.as_str(), k)))
            .collect()
    }

    /// The 0-based index of story `s{n}`, when there is one.
    pub fn find(&self, story: &str) -> Option<usize> {
        let n: usize = story.strip_prefix('s')?.parse().ok()?;
        (n >= 1 && n <= self.members.len()).then(|| n - 1)
    }
}

/// Figures of `stemma index stats`.
pub struct Stats {
    /// Schema version of the file.
    pub schema: i64,
    /// Current documents.
    pub documents: i64,
    /// Revisions kept (every text each document has had).
    pub revisions: i64,
    /// Batches committed.
    pub batches: i64,
    /// When the last batch was committed, as Unix seconds.
    pub last_batch_at: Option<i64>,
}

impl Index {
    /// Opens (creating it if need be) and upgrades the index at `path`; refuses a file
    /// written by a newer stemma.
    pub fn open(path: &Path) -> Result<Index> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot open the index {}", path.display()))?;
        Index::setup(conn, path)
    }

    /// Opens an index that must already exist (the readers: `stories`, `analyze`, `stats`).
    pub fn open_existing(path: &Path) -> Result<Index> {
        if !path.exists() {
            bail!(
                "no index at {} (create one with `stemma index add PATH...`)",
                path.display()
            );
        }
        Index::open(path)
    }

    fn setup(mut conn: Connection, path: &Path) -> Result<Index> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let not_index = || {
            format!(
                "{} is not a stemma index (or it is damaged)",
                path.display()
            )
        };
        // A journal mode read from a file that is not a database fails here, the first read.
        // It is set only when not yet WAL: setting it takes a lock that a batch of another
        // process may hold for long.
        let mut mode: String = conn
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .with_context(not_index)?;
        if !mode.eq_ignore_ascii_case("wal") {
            mode = conn
                .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
                .with_context(not_index)?;
        }
        if !mode.eq_ignore_ascii_case("wal") {
            bail!("{}: cannot use write-ahead logging", path.display());
        }
        // FULL: a batch reported committed is on disk, not only handed to the system.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        schema::migrate(&mut conn, path).with_context(not_index)?;
        Ok(Index { conn })
    }

    /// Starts a batch; it holds the write lock until committed or dropped.
    pub fn batch(&mut self) -> Result<Batch<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context("cannot start writing to the index")?;
        let last: i64 = tx.query_row("SELECT COALESCE(MAX(batch), 0) FROM batches", [], |row| {
            row.get(0)
        })?;
        Ok(Batch {
            tx,
            batch: last + 1,
            changed: Vec::new(),
            unchanged: Vec::new(),
            revised: 0,
        })
    }

    /// The stories, from the stored ones when they are current, else computed from the
    /// fingerprints (and stored, unless `store` is false or a newer batch came meanwhile).
    pub fn stories(&mut self, store: bool) -> Result<Stories> {
        let tx = self.conn.transaction()?;
        let generation = state(&tx, "generation")?;
        let stored = state(&tx, "stories_generation")?;
        if stored == generation {
            let stories = read_stored_stories(&tx, generation)?;
            tx.commit()?;
            return Ok(stories);
        }
        let (ids, prints) = current_fingerprints(&tx)?;
        tx.commit()?;
        let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let members: Vec<Vec<String>> =
            cluster::cluster(&prints, &id_refs, &ClusterConfig::default())
                .into_iter()
                .map(|story| {
                    story
                        .documents
                        .into_iter()
                        .map(|d| ids[d].clone())
                        .collect()
                })
                .collect();
        let stories = Stories {
            generation,
            members,
        };
        if store {
            self.store_stories(&stories)?;
        }
        Ok(stories)
    }

    fn store_stories(&mut self, stories: &Stories) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if state(&tx, "generation")? != stories.generation {
            // A newer batch committed while these were computed; its writer stores its own.
            return Ok(());
        }
        tx.execute("DELETE FROM stories", [])?;
        {
            let mut insert =
                tx.prepare_cached("INSERT INTO stories (document, story) VALUES (?1, ?2)")?;
            for (k, ids) in stories.members.iter().enumerate() {
                for id in ids {
                    insert.execute(params![id, k as i64 + 1])?;
                }
            }
        }
        tx.execute(
            "UPDATE state SET value = ?1 WHERE key = 'stories_generation'",
            [stories.generation],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The current revisions' documents with these ids (missing ids are left out), in the
    /// order asked.
    pub fn documents(&self, ids: &[String]) -> Result<Vec<Document>> {
        let mut select = self.conn.prepare_cached(
            "SELECT r.record, r.record_len FROM documents d JOIN revisions r ON r.row = d.row \
             WHERE d.id = ?1",
        )?;
        let mut documents = Vec::with_capacity(ids.len());
        for id in ids {
            let found: Option<(Vec<u8>, i64)> = select
                .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            if let Some((bytes, len)) = found {
                let mut document = store::decode_record(&bytes, len.max(0) as u64)
                    .with_context(|| format!("the stored record of {id}"))?;
                document.id.clone_from(id);
                documents.push(document);
            }
        }
        Ok(documents)
    }

    /// The rows of the current revisions of these ids (0 for an id not in the index): what
    /// identifies their texts.
    pub fn rows(&self, ids: &[String]) -> Result<Vec<i64>> {
        let mut select = self
            .conn
            .prepare_cached("SELECT row FROM documents WHERE id = ?1")?;
        let mut rows = Vec::with_capacity(ids.len());
        for id in ids {
            rows.push(
                select
                    .query_row([id], |row| row.get(0))
                    .optional()?
                    .unwrap_or(0),
            );
        }
        Ok(rows)
    }

    /// Ids of the current documents whose revision was added at or after `since` (Unix
    /// seconds).
    pub fn added_since(&self, since: i64) -> Result<BTreeSet<String>> {
        let mut select = self.conn.prepare(
            "SELECT d.id FROM documents d JOIN revisions r ON r.row = d.row \
             JOIN batches b ON b.batch = r.batch WHERE b.added_at >= ?1",
        )?;
        let ids = select
            .query_map([since], |row| row.get(0))?
            .collect::<rusqlite::Result<BTreeSet<String>>>()?;
        Ok(ids)
    }

    /// The figures of `stemma index stats`.
    pub fn stats(&self) -> Result<Stats> {
        let count =
            |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |row| row.get(0))?) };
        Ok(Stats {
            schema: self
                .conn
                .query_row("PRAGMA user_version", [], |row| row.get(0))?,
            documents: count("SELECT COUNT(*) FROM documents")?,
            revisions: count("SELECT COUNT(*) FROM revisions")?,
            batches: count("SELECT COUNT(*) FROM batches")?,
            last_batch_at: self
                .conn
                .query_row("SELECT MAX(added_at) FROM batches", [], |row| row.get(0))?,
        })
    }

    /// The generation (last committed batch), a cheap way to see whether anything changed.
    pub fn generation(&self) -> Result<i64> {
        state(&self.conn, "generation")
    }
}

/// Analyses stories of the index (0-based indices into `stories.members`): their
/// documents, read back from the file, and one analysis each, named `s{k+1}`. The story is
/// analysed as `stemma analyze` analyses it inside any corpus.
pub fn analyze(
    index: &Index,
    stories: &Stories,
    which: &[usize],
    config: &stemma::analysis::AnalyzeConfig,
) -> Result<(Vec<Document>, Vec<stemma::analysis::StoryAnalysis>)> {
    let mut documents = Vec::new();
    let mut groups = Vec::with_capacity(which.len());
    for &k in which {
        let members = index.documents(&stories.members[k])?;
        let start = documents.len();
        documents.extend(members);
        groups.push((format!("s{}", k + 1), (start..documents.len()).collect()));
    }
    let analyses = stemma::analysis::analyze_stories(&documents, &groups, config);
    Ok((documents, analyses))
}

fn state(conn: &Connection, key: &str) -> Result<i64> {
    Ok(
        conn.query_row("SELECT value FROM state WHERE key = ?1", [key], |row| {
            row.get(0)
        })?,
    )
}

fn read_stored_stories(conn: &Connection, generation: i64) -> Result<Stories> {
    let mut select =
        conn.prepare("SELECT story, document FROM stories ORDER BY story, document")?;
    let mut by_story: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let rows = select.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (story, id) = row?;
        by_story.entry(story).or_default().push(id);
    }
    Ok(Stories {
        generation,
        members: by_story.into_values().collect(),
    })
}

/// Every current document's id and fingerprint, by id.
fn current_fingerprints(conn: &Connection) -> Result<(Vec<String>, Vec<Fingerprint>)> {
    let mut select = conn.prepare(
        "SELECT d.id, r.fingerprint FROM documents d JOIN revisions r ON r.row = d.row ORDER BY d.id",
    )?;
    let mut ids = Vec::new();
    let mut prints = Vec::new();
    let mut rows = select.query([])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let bytes = row.get_ref(1)?.as_blob()?;
        let print = decode_fingerprint(bytes)
            .with_context(|| format!("the stored fingerprint of {id} is damaged"))?;
        ids.push(id);
        prints.push(print);
    }
    Ok((ids, prints))
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A fingerprint as bytes: the signature's and the terms' lengths and values, then the
/// publication day (a flag and the day), the years, words and shingles, all little-endian.
fn encode_fingerprint(print: &Fingerprint) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 + print.signature.len() * 2 + print.terms.len() * 4);
    out.extend_from_slice(&(print.signature.len() as u32).to_le_bytes());
    for value in &print.signature {
        out.extend_from_slice(&value.to_le_bytes());
    }
    out.extend_from_slice(&(print.terms.len() as u32).to_le_bytes());
    for term in &print.terms {
        out.extend_from_slice(&term.to_le_bytes());
    }
    match print.published_day {
        Some(day) => {
            out.push(1);
            out.extend_from_slice(&day.to_le_bytes());
        }
        None => out.push(0),
    }
    out.extend_from_slice(&print.years.to_le_bytes());
    out.extend_from_slice(&print.words.to_le_bytes());
    out.extend_from_slice(&print.shingles.to_le_bytes());
    out
}

fn decode_fingerprint(mut bytes: &[u8]) -> Option<Fingerprint> {
    fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        if bytes.len() < n {
            return None;
        }
        let (head, rest) = bytes.split_at(n);
        *bytes = rest;
        Some(head)
    }
    fn u32_of(bytes: &mut &[u8]) -> Option<u32> {
        Some(u32::from_le_bytes(take(bytes, 4)?.try_into().ok()?))
    }
    let n_signature = u32_of(&mut bytes)? as usize;
    let signature = take(&mut bytes, n_signature.checked_mul(2)?)?
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let n_terms = u32_of(&mut bytes)? as usize;
    let terms = take(&mut bytes, n_terms.checked_mul(4)?)?
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let published_day = match take(&mut bytes, 1)?[0] {
        0 => None,
        1 => Some(i32::from_le_bytes(take(&mut bytes, 4)?.try_into().ok()?)),
        _ => return None,
    };
    let years = u64::from_le_bytes(take(&mut bytes, 8)?.try_into().ok()?);
    let words = u32_of(&mut bytes)?;
    let shingles = u32_of(&mut bytes)?;
    bytes.is_empty().then_some(Fingerprint {
        signature,
        terms,
        published_day,
        years,
        words,
        shingles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_come_back_as_they_went_in() {
        let mut document = stemma::corpus::document_from_text(
            "a",
            "a.txt",
            "At least 14 people were killed when a dam burst in 2025 above Belozar.",
        )
        .expect("a document");
        for published in [
            None,
            stemma::ingest::parse_published("2025-10-16T07:45:00Z"),
        ] {
            document.published = published;
            let print = prepare(&document).expect("prepared").fingerprint;
            let bytes = encode_fingerprint(&print);
            assert_eq!(decode_fingerprint(&bytes), Some(print));
            assert_eq!(decode_fingerprint(&bytes[..bytes.len() - 1]), None);
        }
    }
}
