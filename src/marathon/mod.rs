//! Marathon's JSON: the only place with Marathon's field names. `emit` writes the model as group JSON in
//! the dialect of the target version; `fields` is the table of the app and group fields each version
//! reads, with their JSON types (what emitted JSON is checked against, and what a passthrough or a JSON
//! reader checks fields with).

pub mod emit;
pub mod fields;
pub mod normal;
