//! The firewall: one rule set (`rules/waf/*.toml`) for the native engine
//! and the generated PHP agent, and the tools around it.
//!
//! - [`transform`]: the transformations rules apply before matching;
//! - [`request`]: a request and the inputs rules read;
//! - [`http`]: raw HTTP requests and multipart bodies;
//! - [`rules`]: the compiled rules and their prefilter groups;
//! - [`literal_dfa`]: the automaton that finds the rules' literals in a value;
//! - [`engine`]: `inspect(request) -> verdict`, with anomaly scoring;
//! - [`flood`]: the native path's flood counters, shared by a server's workers;
//! - [`log`]: the agent's log read back as events and aggregates;
//! - [`hook`]: the include of the agent placed at the first executable
//!   position of a site's `index.php`, and removed again byte for byte;
//! - [`user_ini`]: the `auto_prepend_file` line of a `.user.ini`, which
//!   covers every PHP entry point of the directory tree.

pub mod engine;
pub mod flood;
pub mod hook;
pub mod http;
pub mod literal_dfa;
pub mod log;
pub mod request;
pub mod rules;
pub mod transform;
pub mod user_ini;

pub use engine::{Options, Verdict, inspect, inspect_without_prefilter};
pub use request::Request;
