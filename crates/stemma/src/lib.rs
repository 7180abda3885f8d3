//! stemma traces rewritten news: it groups articles into stories, names each story's
//! original, says how every other version was made from it, and reports which facts a
//! version changed, dropped or invented.
//!
//! The library is the pipeline of `SPEC.md`, one module per stage, each a plain function
//! over plain data:
//!
//! ```text
//! ingest ─► normalize ─► segment ─► fingerprint ─► cluster ─► collate ─► provenance ─► facts ─► drift ─► report
//! ```
//!
//! [`corpus`] runs the front of it (ingest → normalise → segment) over files:
//!
//! ```no_run
//! use stemma::{corpus, ingest::{IngestConfig, Input}};
//! let corpus = corpus::load(&[Input::Path("examples".into())], &IngestConfig::default());
//! for document in &corpus.documents {
//!     println!("{} has {} sentences", document.id, document.sentences.len());
//! }
//! ```

pub mod analysis;
pub mod cluster;
pub mod collate;
pub mod corpus;
pub mod drift;
pub mod facts;
pub mod fingerprint;
pub mod ingest;
pub mod model;
pub mod normalize;
pub mod provenance;
pub mod report;
pub mod segment;
mod spread_sort;
pub mod verdict;

/// The version written into reports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
