//! The `WebTotem\Client` class: the WebTotem API as an object that keeps
//! its connection, and so the bearer token a call renewed, for the next
//! call. Its methods are generated from the table in
//! [`crate::exports::api`] and run the same operations as the
//! `webtotem_api_*` functions; this file only converts types and errors.
//!
//! The object has no PHP properties: the API key and the token never show
//! in `var_dump()`, `print_r()` or `var_export()` output; PHP refuses to
//! serialize, unserialize or clone it (it is final and internal), and the
//! API key is hidden in stack traces (see [`super::sensitive`]).

// PHP parameter names are camelCase.
#![allow(non_snake_case)]

use super::to_php_exception;
use crate::api::client::Connection;
use crate::exports::api::client_methods;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;

/// A client of the WebTotem API (see README, "The PHP interface").
#[php_class]
#[php(name = "WebTotem\\Client")]
#[php(flags = ClassFlags::Final)]
pub struct Client {
    conn: Connection,
}

impl Client {
    /// Runs an operation of [`crate::exports::api`] on this object's connection.
    fn run<T>(
        &mut self,
        op: impl FnOnce(&mut crate::api::Client) -> crate::Result<T>,
    ) -> PhpResult<T> {
        let conn = &mut self.conn;
        crate::exports::guard(|| crate::exports::api::run_on(conn, op)).map_err(to_php_exception)
    }
}

macro_rules! php_client_methods {
    ($( $(#[doc = $doc:literal])* fn $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty = $path:path ; )*) => {
        #[php_impl]
        #[allow(non_snake_case)]
        impl Client {
            /// A client of the API at `$endpoint` (null: the WebTotem API)
            /// signing in with `$apiKey`. `$options`: `token` (from an
            /// earlier call), `ca_file` or `ca_cert_pem` (extra trusted CA,
            /// e.g. the emulator's), `timeout_ms`, `connect_timeout_ms`,
            /// `plesk_email`, `email`. Throws WebTotem\ApiException
            /// (BAD_CONNECTION) for an unusable endpoint or CA.
            pub fn __construct(
                endpoint: Option<String>,
                apiKey: Option<String>,
                options: Option<crate::wire::Object>,
            ) -> PhpResult<Self> {
                crate::exports::guard(|| crate::exports::api::client_connection(endpoint, apiKey, options))
                    .map(|conn| Client { conn })
                    .map_err(to_php_exception)
            }

            /// The bearer token in use (after a sign-in or a renewal, the
            /// new one), to store and pass as the `token` option later.
            pub fn token(&self) -> Option<String> {
                self.conn.token.clone()
            }

            /// What var_dump() and print_r() show: the endpoint and whether
            /// an API key and a token are set, never their values.
            #[php(name = "__debugInfo")]
            pub fn debug_info(&self) -> crate::wire::Array<std::collections::BTreeMap<&'static str, String>> {
                let mut info = std::collections::BTreeMap::new();
                info.insert(
                    "endpoint",
                    self.conn
                        .endpoint
                        .clone()
                        .unwrap_or_else(|| crate::api::client::DEFAULT_ENDPOINT.to_string()),
                );
                let set = |v: &Option<String>| if v.is_some() { "set" } else { "none" }.to_string();
                info.insert("api_key", set(&self.conn.api_key));
                info.insert("token", set(&self.conn.token));
                crate::wire::Array(info)
            }

            $(
                $(#[doc = $doc])*
                pub fn $name(&mut self, $($arg: $ty),*) -> PhpResult<$ret> {
                    self.run(|c| $path(c, $($arg),*))
                }
            )*
        }
    };
}

client_methods!(php_client_methods);
