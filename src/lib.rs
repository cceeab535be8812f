//! WebTotem Security for Plesk: the native core.
//!
//! Pure-Rust modules do the work and know nothing of PHP; two thin edges
//! expose them: [`php`], the PHP extension `webtotem`, and [`cli`], the
//! `webtotem` command (JSON in and out). Both are generated from one table,
//! [`exports`], so they offer the same functions with the same results.
#![cfg_attr(windows, feature(abi_vectorcall))]

pub mod agent;
pub mod api;
pub mod baseline;
pub mod build_info;
pub mod cli;
mod compact_dfa;
pub mod docroot;
pub mod error;
pub mod exports;
pub mod firewall;
pub mod lexer;
pub mod malware;
pub mod paths;
pub mod php;
pub mod quarantine;
#[cfg(test)]
mod test_random;
pub mod wire;

pub use error::{Error, ErrorKind, Result};
