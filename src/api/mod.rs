//! The WebTotem cloud API (generation G1: GraphQL over HTTPS POST at
//! `https://api.wtotem.com/v1/graphql`): the client, its typed errors, the
//! data it returns, research uploads (an assumed contract), domain matching between Plesk and the account, and an
//! emulator of the API for tests and demos. Pure Rust: nothing here knows PHP.

pub mod client;
pub mod emulator;
pub mod error;
pub mod graphql;
pub mod model;
pub mod research;
pub mod server;
pub mod sites;

pub use client::{Client, Connection};
pub use error::{ApiError, ApiErrorCode};
