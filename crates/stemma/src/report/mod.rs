//! Reports: what stemma found, written for people (text, HTML) and programs (JSON).
//!
//! Every format is a pure function from results to a string or a writer; the CLI decides
//! where it goes. JSON field names and order follow `SPEC.md` and never change: fields
//! may be added, none renamed or dropped.

pub mod inspect;
pub mod json;
pub mod text;
