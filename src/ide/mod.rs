//! What tools built on the compiler do with a file: `import` writes a model read from Marathon JSON back as
//! pkw. (Later: the analysis API, hover, completion, formatting.)

pub mod fmt;
pub mod import;
pub mod query;
