//! What tools built on the compiler do with a file: `analysis` answers an editor's questions over files with
//! unsaved text, `query` what the tokens alone can tell, `fmt` formats, `import` writes a model read from
//! Marathon JSON back as pkw.

pub mod analysis;
pub mod fixes;
pub mod fmt;
pub mod import;
pub mod query;
