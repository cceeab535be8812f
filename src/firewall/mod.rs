//! The firewall: one rule set (`rules/waf/*.toml`) for the native engine
//! and the generated PHP agent, and the tools around it.
//!
//! - [`transform`]: the transformations rules apply before matching;
//! - [`request`]: a request and the inputs rules read;
//! - [`http`]: raw HTTP requests and multipart bodies;
//! - [`rules`]: the compiled rules and their prefilter groups;
//! - [`engine`]: `inspect(request) -> verdict`, with anomaly scoring.

pub mod engine;
pub mod http;
pub mod request;
pub mod rules;
pub mod transform;

pub use engine::{Options, Verdict, inspect, inspect_without_prefilter};
pub use request::Request;
