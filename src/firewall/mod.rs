//! The firewall: how its agent is hooked into a site.
//!
//! - [`hook`]: the include of the agent placed at the first executable
//!   position of a site's `index.php`, and removed again byte for byte;
//! - [`user_ini`]: the `auto_prepend_file` line of a `.user.ini`, which
//!   covers every PHP entry point of the directory tree.

pub mod hook;
pub mod user_ini;
