//! Synthetic training data made from BBC articles: versions of every derivation and
//! edits that change or invent facts.
