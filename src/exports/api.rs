//! The WebTotem API operations as the PHP side calls them: each one runs on
//! a [`Client`] and takes and returns wire types. Both the
//! `webtotem_api_*` functions (a client per call from a `$connection`
//! array) and the methods of the `WebTotem\Client` class (a client per
//! call from the object's connection, see [`client_methods`]) are made from
//! these same functions.

use crate::api::client::{self as api, Connection};
use crate::api::{Client, model, research};
use crate::error::{Error, Result};
use crate::wire::{Array, Bytes, Object};
use serde::{Deserialize, Serialize};

/// A result of a `webtotem_api_*` function with, under `token`, the new
/// bearer token when the call signed in (none was given, or the one given
/// was refused and renewed with the API key); no `token` key otherwise.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Renewed<T> {
    /// The operation's result.
    #[serde(flatten)]
    pub result: T,
    /// The token to keep for the next call, when it changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// What a `webtotem_api_*` function returning `T` returns ([`Renewed`]).
pub type Renewing<T> = Array<Renewed<Array<T>>>;

/// Runs `op` on a client for `conn` (made here, per call, never kept) and
/// stores back into `conn` what the call learned: a renewed token, a new
/// account's API key. Whatever the outcome, so a token renewed by a call
/// that failed later is kept too.
pub fn run_on<T>(conn: &mut Connection, op: impl FnOnce(&mut Client) -> Result<T>) -> Result<T> {
    let mut client = Client::new(conn.clone())?;
    let out = op(&mut client);
    *conn = client.connection();
    out
}

/// Runs `op` for a `$connection` array and returns its result alone.
fn with_connection<T>(connection: Object, op: impl FnOnce(&mut Client) -> Result<T>) -> Result<T> {
    let mut conn: Connection = connection.parse("connection")?;
    run_on(&mut conn, op)
}

/// Runs `op` for a `$connection` array and returns its result with the
/// token when the call signed in ([`Renewed`]).
fn renewing<T>(
    connection: Object,
    op: impl FnOnce(&mut Client) -> Result<T>,
) -> Result<Array<Renewed<T>>> {
    let mut conn: Connection = connection.parse("connection")?;
    let given = conn.token.clone().filter(|t| !t.is_empty());
    let result = run_on(&mut conn, op)?;
    let token = conn.token.filter(|t| Some(t) != given.as_ref());
    Ok(Array(Renewed { result, token }))
}

/// A connection from the `WebTotem\Client` constructor's arguments,
/// checked as a client would check it (endpoint, CA certificate).
pub fn client_connection(
    endpoint: Option<String>,
    api_key: Option<String>,
    options: Option<Object>,
) -> Result<Connection> {
    /// The constructor's `$options`.
    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    struct Options {
        #[serde(default)]
        token: Option<String>,
        #[serde(default)]
        ca_cert_pem: Option<String>,
        #[serde(default)]
        ca_file: Option<String>,
        #[serde(default)]
        timeout_ms: Option<u64>,
        #[serde(default)]
        connect_timeout_ms: Option<u64>,
        #[serde(default)]
        plesk_email: Option<String>,
        #[serde(default)]
        email: Option<String>,
    }
    let o: Options = match options {
        Some(o) => o.parse("options")?,
        None => Options::default(),
    };
    let mut ca_cert_pem = o.ca_cert_pem;
    if let Some(file) = o.ca_file.filter(|f| !f.is_empty()) {
        let pem = std::fs::read_to_string(&file).map_err(|source| Error::Io {
            context: format!("reading the CA file {file}"),
            source,
        })?;
        ca_cert_pem = Some(ca_cert_pem.unwrap_or_default() + "\n" + &pem);
    }
    let conn = Connection {
        endpoint: endpoint.filter(|e| !e.is_empty()),
        api_key: api_key.filter(|k| !k.is_empty()),
        token: o.token.filter(|t| !t.is_empty()),
        ca_cert_pem,
        timeout_ms: o.timeout_ms,
        connect_timeout_ms: o.connect_timeout_ms,
        plesk_email: o.plesk_email,
        email: o.email,
    };
    Client::check(&conn)?;
    Ok(conn)
}

/// Calls `$callback!` with every method of `WebTotem\Client`, one row each:
/// `/// doc`, then `fn name(param: Type, ...) -> Return = operation;`, the
/// operation being a function of this module that takes the client first.
macro_rules! client_methods {
    ($callback:ident) => {
        $callback! {
            /// Signs in with the API key and keeps the token; returns
            /// `token`, `refresh_token`, `expires_in`.
            fn login() -> crate::wire::Array<crate::api::client::Token> = crate::exports::api::login;

            /// Registers an account (see webtotem_api_register(); the
            /// `plesk_email` option is required). Returns `registered`, `email`, `result`.
            fn register(user: crate::wire::Object) -> crate::wire::Array<crate::api::client::Registered> = crate::exports::api::register;

            /// Confirms a new account's e-mail with `$code` and keeps the
            /// API key the API returns; returns `confirmed`, `api_key`, `result`.
            fn confirmEmail(code: String) -> crate::wire::Array<crate::api::client::Confirmed> = crate::exports::api::confirm_email;

            /// One page of the account's hosts, as webtotem_api_hosts().
            fn hosts(options: Option<crate::wire::Object>) -> crate::wire::Array<crate::api::model::HostPage> = crate::exports::api::hosts;

            /// One host, as webtotem_api_host().
            fn host(hostId: i64) -> crate::wire::Array<crate::api::model::Host> = crate::exports::api::host;

            /// Adds a site, as webtotem_api_add_host().
            fn addHost(hostname: String, title: Option<String>) -> crate::wire::Array<crate::api::model::Host> = crate::exports::api::add_host;

            /// Toggles a service configuration; whether it is active now.
            fn toggle(configId: i64, hostId: i64) -> bool = crate::exports::api::toggle;

            /// Turns a module on or off, as webtotem_api_set_module().
            fn setModule(hostId: i64, module: String, active: bool) -> crate::wire::Array<crate::api::client::ModuleSwitch> = crate::exports::api::set_module;

            /// Every module check of a host, as webtotem_api_host_checks().
            fn hostChecks(hostId: i64, now: Option<i64>) -> crate::wire::Array<crate::api::model::HostChecks> = crate::exports::api::host_checks;

            /// Every host with each module's status, as webtotem_api_dashboard().
            fn dashboard() -> crate::wire::Array<crate::api::client::Dashboard> = crate::exports::api::dashboard;

            /// Generates an agent file, as webtotem_api_generate_agent().
            fn generateAgent(hostId: i64, agent: String) -> crate::wire::Array<crate::api::client::AgentFile> = crate::exports::api::generate_agent;

            /// Asks the cloud to verify an agent, as webtotem_api_check_agent().
            fn checkAgent(hostId: i64, agent: String) -> crate::wire::Array<crate::api::client::AgentCheck> = crate::exports::api::check_agent;

            /// Downloads an agent file's PHP code, as webtotem_api_download_agent().
            fn downloadAgent(agentName: String, agent: String) -> crate::wire::Bytes = crate::exports::api::download_agent;

            /// Uploads a malware sample for research, as webtotem_api_upload_sample().
            fn uploadSample(hostId: i64, sample: crate::wire::Object) -> crate::wire::Array<crate::api::research::SampleReceipt> = crate::exports::api::upload_sample;

            /// Uploads a firewall log chunk for research, as webtotem_api_upload_firewall_log().
            fn uploadFirewallLog(hostId: i64, chunk: crate::wire::Object) -> crate::wire::Array<crate::api::research::LogReceipt> = crate::exports::api::upload_firewall_log;
        }
    };
}
pub(crate) use client_methods;

// ---- The operations, client first. ----

fn agent_of(agent: &str) -> Result<model::Agent> {
    model::Agent::from_code(agent)
        .ok_or_else(|| Error::invalid(format!("agent must be \"waf\" or \"vc\", not {agent:?}")))
}

/// Signs in.
pub fn login(c: &mut Client) -> Result<Array<api::Token>> {
    Ok(Array(c.login()?))
}

/// Registers an account.
pub fn register(c: &mut Client, user: Object) -> Result<Array<api::Registered>> {
    let reg: api::Registration = user.parse("user")?;
    Ok(Array(c.register(&reg)?))
}

/// Confirms an e-mail.
pub fn confirm_email(c: &mut Client, code: String) -> Result<Array<api::Confirmed>> {
    Ok(Array(c.confirm_email(&code)?))
}

/// The options of `hosts`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct HostsOptions {
    #[serde(default)]
    first: Option<i64>,
    #[serde(default)]
    after: Option<i64>,
    #[serde(default)]
    filter: Option<String>,
    #[serde(default)]
    all: bool,
}

/// A page of hosts, or all of them.
pub fn hosts(c: &mut Client, options: Option<Object>) -> Result<Array<model::HostPage>> {
    let o: HostsOptions = match options {
        Some(o) => o.parse("options")?,
        None => HostsOptions::default(),
    };
    if o.all {
        let hosts = c.all_hosts()?;
        let total = hosts.len() as i64;
        return Ok(Array(model::HostPage { hosts, total }));
    }
    let page = c.hosts(
        o.first.unwrap_or(api::PAGE_SIZE),
        o.after.unwrap_or(0),
        o.filter.as_deref().unwrap_or(""),
    )?;
    Ok(Array(page))
}

/// One host.
pub fn host(c: &mut Client, host_id: i64) -> Result<Array<model::Host>> {
    Ok(Array(c.host(host_id)?))
}

/// Adds a host.
pub fn add_host(
    c: &mut Client,
    hostname: String,
    title: Option<String>,
) -> Result<Array<model::Host>> {
    Ok(Array(c.add_host(&hostname, title.as_deref())?))
}

/// Toggles a configuration.
pub fn toggle(c: &mut Client, config_id: i64, host_id: i64) -> Result<bool> {
    Ok(c.toggle(config_id, host_id)?)
}

/// Sets a module on or off.
pub fn set_module(
    c: &mut Client,
    host_id: i64,
    module: String,
    active: bool,
) -> Result<Array<api::ModuleSwitch>> {
    let m = model::Module::from_code(&module).ok_or_else(|| {
        Error::invalid(format!(
            "unknown module {module:?}; one of wa, ssl, dec, av, cms, dc, ps, waf, vc"
        ))
    })?;
    Ok(Array(c.set_module(host_id, m, active)?))
}

/// Every check of a host.
pub fn host_checks(
    c: &mut Client,
    host_id: i64,
    now: Option<i64>,
) -> Result<Array<model::HostChecks>> {
    let now = now.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    });
    Ok(Array(c.host_checks(host_id, now)?))
}

/// The dashboard.
pub fn dashboard(c: &mut Client) -> Result<Array<api::Dashboard>> {
    Ok(Array(c.dashboard()?))
}

/// Generates an agent.
pub fn generate_agent(
    c: &mut Client,
    host_id: i64,
    agent: String,
) -> Result<Array<api::AgentFile>> {
    let a = agent_of(&agent)?;
    Ok(Array(c.generate_agent(host_id, a)?))
}

/// Checks an agent.
pub fn check_agent(c: &mut Client, host_id: i64, agent: String) -> Result<Array<api::AgentCheck>> {
    let a = agent_of(&agent)?;
    Ok(Array(c.check_agent(host_id, a)?))
}

/// Downloads an agent.
pub fn download_agent(c: &mut Client, agent_name: String, agent: String) -> Result<Bytes> {
    let a = agent_of(&agent)?;
    Ok(Bytes(c.download_agent(&agent_name, a)?))
}

/// Uploads a sample.
pub fn upload_sample(
    c: &mut Client,
    host_id: i64,
    sample: Object,
) -> Result<Array<research::SampleReceipt>> {
    let sample: research::SampleUpload = sample.parse("sample")?;
    Ok(Array(c.upload_sample(host_id, &sample)?))
}

/// Uploads a firewall log chunk.
pub fn upload_firewall_log(
    c: &mut Client,
    host_id: i64,
    chunk: Object,
) -> Result<Array<research::LogReceipt>> {
    let chunk: research::LogChunk = chunk.parse("chunk")?;
    Ok(Array(c.upload_firewall_log(host_id, &chunk)?))
}

// ---- The `webtotem_api_*` functions. ----

/// `webtotem_api_login()`.
pub fn api_login(connection: Object) -> Result<Array<api::Token>> {
    with_connection(connection, login)
}

/// `webtotem_api_register()`.
pub fn api_register(connection: Object, user: Object) -> Result<Array<api::Registered>> {
    with_connection(connection, |c| register(c, user))
}

/// `webtotem_api_confirm_email()`.
pub fn api_confirm_email(connection: Object, code: String) -> Result<Array<api::Confirmed>> {
    with_connection(connection, |c| confirm_email(c, code))
}

/// `webtotem_api_hosts()`.
pub fn api_hosts(connection: Object, options: Option<Object>) -> Result<Renewing<model::HostPage>> {
    renewing(connection, |c| hosts(c, options))
}

/// `webtotem_api_host()`.
pub fn api_host(connection: Object, host_id: i64) -> Result<Renewing<model::Host>> {
    renewing(connection, |c| host(c, host_id))
}

/// `webtotem_api_add_host()`.
pub fn api_add_host(
    connection: Object,
    hostname: String,
    title: Option<String>,
) -> Result<Renewing<model::Host>> {
    renewing(connection, |c| add_host(c, hostname, title))
}

/// `webtotem_api_toggle()`.
pub fn api_toggle(connection: Object, config_id: i64, host_id: i64) -> Result<bool> {
    with_connection(connection, |c| toggle(c, config_id, host_id))
}

/// `webtotem_api_set_module()`.
pub fn api_set_module(
    connection: Object,
    host_id: i64,
    module: String,
    active: bool,
) -> Result<Renewing<api::ModuleSwitch>> {
    renewing(connection, |c| set_module(c, host_id, module, active))
}

/// `webtotem_api_host_checks()`.
pub fn api_host_checks(
    connection: Object,
    host_id: i64,
    now: Option<i64>,
) -> Result<Renewing<model::HostChecks>> {
    renewing(connection, |c| host_checks(c, host_id, now))
}

/// `webtotem_api_dashboard()`.
pub fn api_dashboard(connection: Object) -> Result<Renewing<api::Dashboard>> {
    renewing(connection, dashboard)
}

/// `webtotem_api_generate_agent()`.
pub fn api_generate_agent(
    connection: Object,
    host_id: i64,
    agent: String,
) -> Result<Renewing<api::AgentFile>> {
    renewing(connection, |c| generate_agent(c, host_id, agent))
}

/// `webtotem_api_check_agent()`.
pub fn api_check_agent(
    connection: Object,
    host_id: i64,
    agent: String,
) -> Result<Renewing<api::AgentCheck>> {
    renewing(connection, |c| check_agent(c, host_id, agent))
}

/// `webtotem_api_download_agent()`.
pub fn api_download_agent(connection: Object, agent_name: String, agent: String) -> Result<Bytes> {
    with_connection(connection, |c| download_agent(c, agent_name, agent))
}

/// `webtotem_api_upload_sample()`.
pub fn api_upload_sample(
    connection: Object,
    host_id: i64,
    sample: Object,
) -> Result<Renewing<research::SampleReceipt>> {
    renewing(connection, |c| upload_sample(c, host_id, sample))
}

/// `webtotem_api_upload_firewall_log()`.
pub fn api_upload_firewall_log(
    connection: Object,
    host_id: i64,
    chunk: Object,
) -> Result<Renewing<research::LogReceipt>> {
    renewing(connection, |c| upload_firewall_log(c, host_id, chunk))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renewed_results_add_the_token_only_when_there_is_one() {
        let page = Array(model::HostPage {
            hosts: vec![],
            total: 0,
        });
        let with = serde_json::to_value(Renewed {
            result: page.clone(),
            token: Some("t".into()),
        })
        .unwrap();
        assert_eq!(with, json!({"hosts": [], "total": 0, "token": "t"}));
        let without = serde_json::to_value(Renewed {
            result: page,
            token: None,
        })
        .unwrap();
        assert_eq!(without, json!({"hosts": [], "total": 0}));
    }

    #[test]
    fn client_settings_are_checked_at_construction() {
        let err = client_connection(Some("http://example.com/x".into()), None, None).unwrap_err();
        assert!(matches!(err, Error::Api { .. }), "{err}");
        let err = client_connection(None, None, Some(Object(json!({"cafile": "x"})))).unwrap_err();
        assert!(matches!(err, Error::InvalidArgument(_)), "{err}");
        let err = client_connection(
            None,
            None,
            Some(Object(json!({"ca_file": "/nonexistent/ca.pem"}))),
        )
        .unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        let conn = client_connection(None, Some("k".into()), None).unwrap();
        assert_eq!(conn.api_key.as_deref(), Some("k"));
        assert!(conn.endpoint.is_none());
    }
}
