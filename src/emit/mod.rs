//! Model → output formats. Only `marathon.rs` knows Marathon's field names.

pub mod marathon;
