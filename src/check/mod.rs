//! Names, types, values and references: turns a syntax tree into the checked model, collecting every
//! diagnostic on the way. Each topic has its own file.

pub mod app;
pub mod apply;
pub mod args;
pub mod cluster;
pub mod constraints;
pub mod deps;
pub mod expand;
pub mod health;
pub mod ids;
pub mod java_regex;
mod java_regex_names;
pub mod java_uri;
pub mod lower;
pub mod names;
pub mod passthrough;
pub mod ports;
pub mod readiness;
pub mod upgrade;
pub mod uses;
pub mod versions;
pub mod volumes;
