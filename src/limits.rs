//! Every resource a file can make pkwc spend, bounded. Each limit has its own diagnostic code
//! (`pkw::limit::…`) and is documented in `docs/limits.md`. The limits sit far above any real cluster (the
//! benchmark builds 100,000 apps) and far below what would exhaust a machine, so hostile or runaway input
//! gets an error instead of an abort, a hang or a stack overflow.

/// The largest file pkwc reads (the main file, an import, standard input): 256 MiB. Spans are 32-bit, and a
/// 100,000-app cluster is about 15 MB.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// How many apps one compilation may make, template expansions included.
pub const MAX_APPS: usize = 250_000;

/// How many groups one compilation may make, template expansions included.
pub const MAX_GROUPS: usize = 250_000;

/// How many template uses one compilation may expand in all (apps from templates, group templates).
pub const MAX_EXPANSIONS: usize = 1_000_000;

/// How many template expansions may be open inside one another.
pub const MAX_EXPANSION_DEPTH: usize = 32;

/// How deep groups may nest once templates are expanded (the syntax alone allows 64 levels of blocks).
pub const MAX_GROUP_DEPTH: usize = 64;

/// How long a chain of imports may be.
pub const MAX_IMPORT_DEPTH: usize = 32;

/// The longest value `${}` interpolation may build: 1 MiB.
pub const MAX_VALUE_BYTES: usize = 1024 * 1024;

/// The largest JSON output: 2 GiB (100,000 apps make about 160 MB).
pub const MAX_OUTPUT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// How many diagnostics one run prints; the rest are counted in a summary.
pub const MAX_PRINTED: usize = 1_000;
/// Warnings (or notes) of one code a human report draws; the rest are counted in one line.
pub const MAX_SAME_SHOWN: usize = 3;

/// How many labels a diagnostic shows in the human rendering (the JSON rendering has them all).
pub const MAX_LABELS_SHOWN: usize = 12;

/// How many characters of a long line the human rendering shows around a label.
pub const LINE_WINDOW: usize = 120;

/// How many "did you mean" comparisons one compilation may spend, in all; past that, unknown names are
/// still reported, without a suggestion.
pub const MAX_SUGGESTION_WORK: usize = 2_000_000;
