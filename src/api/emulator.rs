//! An emulator of the G1 WebTotem API: a **test double**, not the real
//! service. It answers the operations in [`super::graphql`] (recognised by
//! operation name, with the document checked to be the client's constant
//! one, values read from `variables`) statefully: users with confirmation
//! codes and API keys, tokens, hosts with services and toggles, agents,
//! and module checks with realistic data that covers every status, and
//! the research uploads of [`super::research`]'s assumed contract (kept,
//! deduplicated, and shown by `GET /__emulator/research`). It never
//! contacts a site: `checkAgent` trusts the caller.
//!
//! Faults are injected per request with the header `X-Emulator-Fault:
//! NAME`, or queued for the next N requests they apply to with `POST
//! /__emulator/fault {"fault": NAME, "count": N}`. See [`Fault`].
//!
//! This module is the logic only; [`super::server`] serves it over HTTP(S).

use super::graphql as gql;
use super::model::{Agent, Module};
use super::sites;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The path of the GraphQL endpoint.
pub const GRAPHQL_PATH: &str = "/v1/graphql";
/// The prefix of the emulator's own control endpoints.
pub const ADMIN_PREFIX: &str = "/__emulator/";
/// The size of the response of the `huge` fault (16 MiB).
pub const HUGE_BYTES: usize = 16 << 20;

/// The faults the emulator can inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fault {
    /// `Auth` answers `INVALID_API_KEY`.
    InvalidKey,
    /// An operation that needs a token answers `Invalid token` (and the token is dropped).
    ExpiredToken,
    /// `AddUserHost` answers `HOSTS_LIMIT_EXCEEDED`.
    HostsLimit,
    /// `AddUserHost` answers `DUPLICATE_HOST`.
    DuplicateHost,
    /// Any request answers HTTP 500 with an HTML body.
    Http500,
    /// Any request is answered only after the configured delay.
    Slow,
    /// Any request's JSON body is cut in half.
    Truncated,
    /// Any request answers with a 16 MiB JSON body.
    Huge,
    /// `generateAgent` names a file with a path in it.
    BadAgentName,
    /// An agent download answers HTML instead of PHP.
    NotPhp,
    /// `checkAgent` answers that the check is locked for 300 s.
    Locked,
}

impl Fault {
    /// Every fault with its name.
    pub const ALL: &'static [(&'static str, Fault)] = &[
        ("invalid-key", Fault::InvalidKey),
        ("expired-token", Fault::ExpiredToken),
        ("hosts-limit", Fault::HostsLimit),
        ("duplicate-host", Fault::DuplicateHost),
        ("http-500", Fault::Http500),
        ("slow", Fault::Slow),
        ("truncated", Fault::Truncated),
        ("huge", Fault::Huge),
        ("bad-agent-name", Fault::BadAgentName),
        ("not-php", Fault::NotPhp),
        ("locked", Fault::Locked),
    ];

    /// The fault named `name`.
    pub fn from_name(name: &str) -> Option<Fault> {
        Fault::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, f)| *f)
    }

    /// The fault's name.
    pub fn name(self) -> &'static str {
        Fault::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }

    fn is_transport(self) -> bool {
        matches!(
            self,
            Fault::Http500 | Fault::Slow | Fault::Truncated | Fault::Huge
        )
    }
}

/// Settings of an emulator.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// How many hosts an account may have.
    pub hosts_limit: usize,
    /// How long the `slow` fault delays a response.
    pub slow: Duration,
    /// API keys of confirmed accounts that exist from the start.
    pub api_keys: Vec<String>,
    /// Hosts `site-N.example` added to the first account at start.
    pub seed_hosts: usize,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            hosts_limit: 50,
            slow: Duration::from_secs(3),
            api_keys: Vec::new(),
            seed_hosts: 0,
        }
    }
}

/// A request as the HTTP layer hands it over.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// The path, without the query.
    pub path: &'a str,
    /// The `Authorization` header.
    pub authorization: Option<&'a str>,
    /// The `X-Emulator-Fault` header.
    pub fault: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

/// A response for the HTTP layer to send.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The content type.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// How long to wait before sending it.
    pub delay: Duration,
}

impl Response {
    fn body(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            content_type,
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    fn json(status: u16, value: &Value) -> Response {
        Response::body(
            status,
            "application/json",
            serde_json::to_vec(value).unwrap_or_default(),
        )
    }
}

struct User {
    /// What `createUser` received, the password left out.
    registration: Value,
    email: String,
    name: String,
    api_key: Option<String>,
    code: String,
    confirmed: bool,
}

struct Config {
    id: i64,
    data: Value,
    active: bool,
    created: i64,
}

struct Service {
    id: i64,
    name: String,
    configs: Vec<Config>,
}

#[derive(Default)]
struct AgentState {
    name: Option<String>,
    verified: bool,
}

struct HostRec {
    id: i64,
    owner: usize,
    hostname: String,
    title: String,
    created: i64,
    services: Vec<Service>,
    agents: [AgentState; 2],
    forced: HashMap<Module, i64>,
}

/// A research sample as the emulator keeps it (see [`super::research`]).
struct SampleRec {
    id: i64,
    host_id: i64,
    path: String,
    sha256: String,
    size: u64,
    truncated: bool,
    category: String,
    rule_ids: Value,
    data: Vec<u8>,
    duplicates: u64,
}

/// A firewall log chunk as the emulator keeps it.
struct LogRec {
    host_id: i64,
    log_id: String,
    from: u64,
    to: u64,
    chunk_sha256: String,
    events: Vec<Value>,
}

#[derive(Default)]
struct State {
    users: Vec<User>,
    samples: Vec<SampleRec>,
    logs: Vec<LogRec>,
    tokens: HashMap<String, usize>,
    hosts: Vec<HostRec>,
    next_host: i64,
    next_config: i64,
    faults: Vec<(Fault, u32)>,
    requests: u64,
    operations: HashMap<String, u64>,
}

/// The emulator: shared state behind a lock.
pub struct Emulator {
    config: EmulatorConfig,
    state: Mutex<State>,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the system's random source");
    hex::encode(buf)
}

fn service_name(id: i64) -> String {
    match id {
        1 => "wa".into(),
        2 => "ssl".into(),
        3 => "dec".into(),
        4 => "av".into(),
        5 => "cms".into(),
        6 => "dc".into(),
        7 => "ps".into(),
        8 => "waf".into(),
        9 => "vc".into(),
        other => format!("service{other}"),
    }
}

/// A GraphQL error answer with `message`.
fn gql_error(message: &str) -> Response {
    Response::json(
        200,
        &json!({"errors": [{"message": message}], "data": null}),
    )
}

fn gql_data(data: Value) -> Response {
    Response::json(200, &json!({"data": data}))
}

fn bad_request(message: &str) -> Response {
    Response::json(400, &json!({"errors": [{"message": message}]}))
}

fn var_i64(vars: &Value, name: &str) -> Result<i64, Response> {
    vars.get(name)
        .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
        .ok_or_else(|| {
            bad_request(&format!(
                "Variable \"${name}\" of required type \"Int!\" was not provided."
            ))
        })
}

fn var_str<'a>(vars: &'a Value, name: &str) -> Result<&'a str, Response> {
    vars.get(name).and_then(Value::as_str).ok_or_else(|| {
        bad_request(&format!(
            "Variable \"${name}\" of required type \"String!\" was not provided."
        ))
    })
}

impl Emulator {
    /// A new emulator with the configured accounts and hosts.
    pub fn new(config: EmulatorConfig) -> Emulator {
        let emu = Emulator {
            state: Mutex::new(State {
                next_host: 1,
                next_config: 1,
                ..Default::default()
            }),
            config,
        };
        {
            let mut st = emu.lock();
            for (i, key) in emu.config.api_keys.iter().enumerate() {
                let email = if i == 0 {
                    "owner@example.com".to_string()
                } else {
                    format!("owner{i}@example.com")
                };
                st.users.push(User {
                    registration: Value::Null,
                    email,
                    name: "Owner".into(),
                    api_key: Some(key.clone()),
                    code: String::new(),
                    confirmed: true,
                });
            }
            if !st.users.is_empty() {
                for n in 1..=emu.config.seed_hosts {
                    let _ = add_host(
                        &mut st,
                        0,
                        &format!("site-{n}.example"),
                        None,
                        &super::model::default_services(),
                    );
                }
            }
        }
        emu
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes the fault that applies to this request: the header's (not
    /// consumed), else the first queued one that `applies`, consuming one count.
    fn take_fault(
        &self,
        st: &mut State,
        header: Option<Fault>,
        applies: impl Fn(Fault) -> bool,
    ) -> Option<Fault> {
        if let Some(f) = header.filter(|f| applies(*f)) {
            return Some(f);
        }
        let idx = st.faults.iter().position(|(f, n)| *n > 0 && applies(*f))?;
        let fault = st.faults[idx].0;
        st.faults[idx].1 -= 1;
        if st.faults[idx].1 == 0 {
            st.faults.remove(idx);
        }
        Some(fault)
    }

    /// Answers one HTTP request.
    pub fn handle(&self, req: &Request<'_>) -> Response {
        self.handle_counted(req, true)
    }

    /// `outer`: the request as it arrived (counted, and transport faults
    /// apply); else the inner answer a transport fault delays or cuts.
    fn handle_counted(&self, req: &Request<'_>, outer: bool) -> Response {
        if let Some(cmd) = req.path.strip_prefix(ADMIN_PREFIX) {
            return self.admin(req.method, cmd, req.body);
        }
        let header_fault = match req.fault.map(Fault::from_name) {
            Some(None) => return bad_request("unknown X-Emulator-Fault"),
            Some(f) => f,
            None => None,
        };
        let mut st = self.lock();
        if outer {
            st.requests += 1;
        }
        let transport = |f: Fault| outer && f.is_transport();
        if let Some(fault) = self.take_fault(&mut st, header_fault, transport) {
            drop(st);
            return self.transport_fault(fault, req);
        }
        if req.path == GRAPHQL_PATH {
            if req.method != "POST" {
                return Response::body(405, "text/plain", b"POST only");
            }
            return self.graphql(&mut st, req, header_fault);
        }
        if req.method == "POST"
            && let Some(file) = req.path.strip_prefix('/')
        {
            return self.download(&mut st, file, header_fault);
        }
        Response::body(404, "text/plain", b"not found")
    }

    fn transport_fault(&self, fault: Fault, req: &Request<'_>) -> Response {
        match fault {
            Fault::Http500 => Response::body(
                500,
                "text/html",
                b"<html><body><h1>500 Internal Server Error</h1></body></html>",
            ),
            Fault::Slow => {
                // Answer normally, late: the fault is spent, so handle it again without it.
                let mut resp = self.handle_counted(req, false);
                resp.delay = self.config.slow;
                resp
            }
            Fault::Truncated => {
                let mut resp = self.handle_counted(req, false);
                let keep = resp.body.len() / 2;
                resp.body.truncate(keep);
                resp
            }
            _ => {
                let mut body = Vec::with_capacity(HUGE_BYTES + 32);
                body.extend_from_slice(b"{\"data\":{\"padding\":\"");
                body.resize(HUGE_BYTES, b'x');
                body.extend_from_slice(b"\"}}");
                Response::body(200, "application/json", body)
            }
        }
    }

    fn admin(&self, method: &str, cmd: &str, body: &[u8]) -> Response {
        let args: Value = if body.is_empty() {
            json!({})
        } else {
            match serde_json::from_slice(body) {
                Ok(v) => v,
                Err(e) => return bad_request(&format!("invalid JSON: {e}")),
            }
        };
        let mut st = self.lock();
        match (method, cmd) {
            ("GET", "state") => Response::json(200, &state_json(&st)),
            ("GET", "research") => Response::json(200, &research_json(&st)),
            ("POST", "fault") => {
                let Some(fault) = args
                    .get("fault")
                    .and_then(Value::as_str)
                    .and_then(Fault::from_name)
                else {
                    let names: Vec<&str> = Fault::ALL.iter().map(|(n, _)| *n).collect();
                    return bad_request(&format!("fault must be one of {names:?}"));
                };
                let count = args
                    .get("count")
                    .and_then(Value::as_u64)
                    .unwrap_or(1)
                    .clamp(1, 1000) as u32;
                st.faults.push((fault, count));
                Response::json(200, &json!({"ok": true}))
            }
            ("POST", "reset") => {
                st.faults.clear();
                st.requests = 0;
                st.operations.clear();
                Response::json(200, &json!({"ok": true}))
            }
            ("POST", "status") => {
                let (Some(id), Some(module), Some(status)) = (
                    args.get("host_id").and_then(Value::as_i64),
                    args.get("module")
                        .and_then(Value::as_str)
                        .and_then(Module::from_code),
                    args.get("status").and_then(Value::as_i64),
                ) else {
                    return bad_request("host_id, module and status are required");
                };
                match st.hosts.iter_mut().find(|h| h.id == id) {
                    Some(h) => {
                        h.forced.insert(module, status);
                        Response::json(200, &json!({"ok": true}))
                    }
                    None => bad_request("no such host"),
                }
            }
            ("POST", "users") => {
                let (Some(email), Some(key)) = (
                    args.get("email").and_then(Value::as_str),
                    args.get("api_key").and_then(Value::as_str),
                ) else {
                    return bad_request("email and api_key are required");
                };
                st.users.push(User {
                    registration: Value::Null,
                    email: email.to_string(),
                    name: "User".into(),
                    api_key: Some(key.to_string()),
                    code: String::new(),
                    confirmed: true,
                });
                Response::json(200, &json!({"ok": true}))
            }
            ("POST", "hosts") => {
                let (Some(key), Some(count)) = (
                    args.get("api_key").and_then(Value::as_str),
                    args.get("count").and_then(Value::as_u64),
                ) else {
                    return bad_request("api_key and count are required");
                };
                let Some(owner) = st
                    .users
                    .iter()
                    .position(|u| u.api_key.as_deref() == Some(key))
                else {
                    return bad_request("no such API key");
                };
                let start = st.hosts.len();
                for n in 0..count.min(10_000) {
                    let name = format!("bulk-{}-{n}.example", start);
                    let _ = add_host(
                        &mut st,
                        owner,
                        &name,
                        None,
                        &super::model::default_services(),
                    );
                }
                Response::json(200, &json!({"ok": true}))
            }
            _ => Response::body(404, "text/plain", b"unknown emulator command"),
        }
    }

    fn graphql(&self, st: &mut State, req: &Request<'_>, header: Option<Fault>) -> Response {
        let body: Value = match serde_json::from_slice(req.body) {
            Ok(v) => v,
            Err(e) => return bad_request(&format!("Body is not JSON: {e}")),
        };
        let Some(document) = body.get("query").and_then(Value::as_str) else {
            return bad_request("Must provide query string.");
        };
        let name = body
            .get("operationName")
            .and_then(Value::as_str)
            .or_else(|| gql::operation_name(document));
        let Some((op, expected)) = name.and_then(|n| gql::OPERATIONS.iter().find(|(o, _)| *o == n))
        else {
            return bad_request(
                "Unknown operation: the emulator answers only the client's operations.",
            );
        };
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        if squash(document) != squash(expected) {
            return bad_request(&format!(
                "The document of operation {op} is not the one the emulator knows."
            ));
        }
        let vars = match body.get("variables") {
            None | Some(Value::Null) => json!({}),
            Some(v @ Value::Object(_)) => v.clone(),
            Some(_) => return bad_request("Variables must be an object."),
        };
        *st.operations.entry((*op).to_string()).or_default() += 1;
        let result = match *op {
            "Auth" => self.op_auth(st, &vars, header),
            "CreateUser" => op_create_user(st, &vars),
            "ConfirmFree" => op_confirm(st, &vars),
            _ => {
                let user = match self.authenticate(st, req.authorization, header) {
                    Ok(u) => u,
                    Err(resp) => return resp,
                };
                match *op {
                    "Hosts" => op_hosts(st, user, &vars),
                    "Host" => op_host(st, user, &vars),
                    "AddUserHost" => self.op_add_host(st, user, &vars, header),
                    "ToggleServiceConfig" => op_toggle(st, user, &vars),
                    "GenerateAgentWaf" => self.op_generate(st, user, &vars, Agent::Waf, header),
                    "GenerateAgentVc" => self.op_generate(st, user, &vars, Agent::Vc, header),
                    "CheckAgentWaf" => self.op_check_agent(st, user, &vars, Agent::Waf, header),
                    "CheckAgentVc" => self.op_check_agent(st, user, &vars, Agent::Vc, header),
                    "getAllChecks" => op_host_checks(st, user, &vars),
                    "UploadResearchSample" => op_upload_sample(st, user, &vars),
                    "UploadResearchFirewallLog" => op_upload_log(st, user, &vars),
                    _ => op_overview(st, user, &vars),
                }
            }
        };
        match result {
            Ok(data) => gql_data(data),
            Err(resp) => resp,
        }
    }

    fn authenticate(
        &self,
        st: &mut State,
        authorization: Option<&str>,
        header: Option<Fault>,
    ) -> Result<usize, Response> {
        let token = authorization
            .and_then(|a| a.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or("");
        let Some(&user) = st.tokens.get(token) else {
            return Err(gql_error("Invalid token"));
        };
        if self
            .take_fault(st, header, |f| f == Fault::ExpiredToken)
            .is_some()
        {
            st.tokens.remove(token);
            return Err(gql_error("Invalid token"));
        }
        Ok(user)
    }

    fn op_auth(
        &self,
        st: &mut State,
        vars: &Value,
        header: Option<Fault>,
    ) -> Result<Value, Response> {
        let key = var_str(vars, "apiKey")?;
        if self
            .take_fault(st, header, |f| f == Fault::InvalidKey)
            .is_some()
        {
            return Err(gql_error("INVALID_API_KEY"));
        }
        let Some(user) = st
            .users
            .iter()
            .position(|u| u.confirmed && u.api_key.as_deref() == Some(key))
        else {
            return Err(gql_error("INVALID_API_KEY"));
        };
        let token = random_hex(20);
        st.tokens.insert(token.clone(), user);
        Ok(
            json!({"apiServiceMutation": {"auth": {"value": token, "refreshToken": random_hex(20), "expiresIn": 3600}}}),
        )
    }

    fn op_add_host(
        &self,
        st: &mut State,
        user: usize,
        vars: &Value,
        header: Option<Fault>,
    ) -> Result<Value, Response> {
        let input = vars.get("input").cloned().unwrap_or_default();
        let hostname = input.get("hostname").and_then(Value::as_str).unwrap_or("");
        let title = input.get("title").and_then(Value::as_str);
        let services = input.get("services").cloned().unwrap_or(json!([]));
        match self.take_fault(st, header, |f| {
            matches!(f, Fault::HostsLimit | Fault::DuplicateHost)
        }) {
            Some(Fault::HostsLimit) => return Err(gql_error("HOSTS_LIMIT_EXCEEDED")),
            Some(_) => return Err(gql_error("DUPLICATE_HOST")),
            None => {}
        }
        if st.hosts.iter().filter(|h| h.owner == user).count() >= self.config.hosts_limit {
            return Err(gql_error("HOSTS_LIMIT_EXCEEDED"));
        }
        let id = add_host(st, user, hostname, title, &services).map_err(gql_error)?;
        let host = st.hosts.iter().find(|h| h.id == id).expect("just added");
        Ok(json!({"addUserHost": host_json(host, true)}))
    }

    fn op_generate(
        &self,
        st: &mut State,
        user: usize,
        vars: &Value,
        agent: Agent,
        header: Option<Fault>,
    ) -> Result<Value, Response> {
        let bad = self
            .take_fault(st, header, |f| f == Fault::BadAgentName)
            .is_some();
        let host = own_host(st, user, var_i64(vars, "hostId")?)?;
        let name = if bad {
            "../../index".to_string()
        } else {
            random_hex(16)
        };
        let slot = &mut host.agents[agent as usize];
        slot.name = Some(name.clone());
        slot.verified = false;
        Ok(json!({"generateAgent": {"agentName": name}}))
    }

    fn op_check_agent(
        &self,
        st: &mut State,
        user: usize,
        vars: &Value,
        agent: Agent,
        header: Option<Fault>,
    ) -> Result<Value, Response> {
        let locked = self
            .take_fault(st, header, |f| f == Fault::Locked)
            .is_some();
        let host = own_host(st, user, var_i64(vars, "hostId")?)?;
        let slot = &mut host.agents[agent as usize];
        if slot.name.is_none() || slot.verified {
            return Err(gql_error(
                "Agent does not exist or has been already verified",
            ));
        }
        if locked {
            return Ok(json!({"checkAgent": {"installed": false, "lockFor": 300}}));
        }
        slot.verified = true;
        Ok(json!({"checkAgent": {"installed": true, "lockFor": null}}))
    }

    fn download(&self, st: &mut State, file: &str, header: Option<Fault>) -> Response {
        let not_php = self
            .take_fault(st, header, |f| f == Fault::NotPhp)
            .is_some();
        *st.operations.entry("download".into()).or_default() += 1;
        let found = st.hosts.iter().find_map(|h| {
            [Agent::Waf, Agent::Vc].into_iter().find_map(|a| {
                let name = h.agents[a as usize].name.as_deref()?;
                (file == format!("{name}.{}.php", a.code())).then(|| (h.hostname.clone(), a))
            })
        });
        let Some((hostname, agent)) = found else {
            return Response::body(404, "text/plain", b"no such agent");
        };
        let body = if not_php {
            b"<html><body>Maintenance</body></html>".to_vec()
        } else {
            format!(
                "<?php\n// WebTotem API emulator: a test double of the {} agent for {hostname}.\n// It does nothing; the real agent comes from the WebTotem API.\nreturn;\n",
                agent.code()
            )
            .into_bytes()
        };
        Response::body(200, "application/octet-stream", body)
    }
}

/// Adds a host for `owner`; the API's error message on refusal.
fn add_host(
    st: &mut State,
    owner: usize,
    hostname: &str,
    title: Option<&str>,
    services: &Value,
) -> Result<i64, &'static str> {
    let Some(ascii) = sites::to_ascii(hostname) else {
        return Err("INVALID_DOMAIN_NAME");
    };
    let key = sites::host_key(&ascii);
    if st
        .hosts
        .iter()
        .any(|h| h.owner == owner && sites::host_key(&h.hostname) == key)
    {
        return Err("DUPLICATE_HOST");
    }
    let now = now_ms();
    let mut svcs = Vec::new();
    for svc in services.as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let id = svc.get("id").and_then(Value::as_i64).unwrap_or(0);
        let configs = svc
            .get("configs")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|c| {
                st.next_config += 1;
                Config {
                    id: st.next_config,
                    data: Value::String(c.to_string()),
                    active: true,
                    created: now,
                }
            })
            .collect();
        svcs.push(Service {
            id,
            name: service_name(id),
            configs,
        });
    }
    let id = st.next_host;
    st.next_host += 1;
    st.hosts.push(HostRec {
        id,
        owner,
        title: title
            .map(str::to_string)
            .unwrap_or_else(|| sites::to_unicode(&ascii)),
        hostname: ascii,
        created: now,
        services: svcs,
        agents: Default::default(),
        forced: HashMap::new(),
    });
    Ok(id)
}

fn own_host(st: &mut State, user: usize, id: i64) -> Result<&mut HostRec, Response> {
    match st.hosts.iter_mut().find(|h| h.id == id) {
        Some(h) if h.owner == user => Ok(h),
        Some(_) => Err(gql_error("USERHOST_NOT_BELONG_TO_USER")),
        None => Err(gql_error("RESOURCE_NOT_FOUND")),
    }
}

fn host_json(h: &HostRec, full: bool) -> Value {
    let services: Vec<Value> = h
        .services
        .iter()
        .map(|s| {
            let configs: Vec<Value> = s
                .configs
                .iter()
                .map(|c| {
                    let mut o = json!({"id": c.id, "data": c.data, "isActive": c.active});
                    if full {
                        o["createdAt"] = json!(c.created);
                    }
                    o
                })
                .collect();
            json!({"id": s.id, "name": s.name, "configs": configs})
        })
        .collect();
    let mut o = json!({
        "id": h.id, "title": h.title, "hostname": h.hostname,
        "stack": ["nginx", "PHP", "WordPress"], "createdAt": h.created, "services": services,
    });
    if full {
        o["tags"] = json!([]);
        o["isActive"] = json!(true);
    }
    o
}

fn op_create_user(st: &mut State, vars: &Value) -> Result<Value, Response> {
    let input = vars.get("input").cloned().unwrap_or_default();
    let email = input
        .get("email")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim();
    let name = input
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim();
    let password = input.get("password").and_then(Value::as_str).unwrap_or("");
    if email
        .split_once('@')
        .is_none_or(|(l, d)| l.is_empty() || sites::to_ascii(d).is_none())
    {
        return Err(gql_error("INVALID_EMAIL"));
    }
    if password.len() < 6 {
        return Err(gql_error("PASSWORD_TOO_SHORT"));
    }
    if st.users.iter().any(|u| u.email.eq_ignore_ascii_case(email)) {
        return Err(gql_error("USER_ALREADY_REGISTERED"));
    }
    let mut code = [0u8; 4];
    getrandom::fill(&mut code).expect("the system's random source");
    let mut registration = input.clone();
    if let Some(o) = registration.as_object_mut() {
        o.remove("password");
    }
    st.users.push(User {
        registration,
        email: email.to_string(),
        name: name.to_string(),
        api_key: None,
        code: format!("{:06}", u32::from_le_bytes(code) % 1_000_000),
        confirmed: false,
    });
    Ok(json!({"createUser": true}))
}

fn op_confirm(st: &mut State, vars: &Value) -> Result<Value, Response> {
    let code = var_str(vars, "code")?.trim().to_string();
    let Some(user) = st
        .users
        .iter_mut()
        .find(|u| !u.confirmed && !u.code.is_empty() && u.code == code)
    else {
        return Err(gql_error("Invalid verify code"));
    };
    user.confirmed = true;
    let key = random_hex(24);
    user.api_key = Some(key.clone());
    Ok(json!({"pleskMutation": {"confirmFree": {"apiKey": key}}}))
}

fn op_hosts(st: &State, user: usize, vars: &Value) -> Result<Value, Response> {
    let first = vars
        .get("first")
        .and_then(Value::as_i64)
        .unwrap_or(100)
        .clamp(0, 1000) as usize;
    let after = vars
        .get("after")
        .and_then(Value::as_i64)
        .unwrap_or(0)
        .max(0) as usize;
    let filter = vars
        .get("filter")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_lowercase();
    let matching: Vec<&HostRec> = st
        .hosts
        .iter()
        .filter(|h| h.owner == user)
        .filter(|h| {
            filter.is_empty()
                || h.hostname.contains(&filter)
                || h.title.to_lowercase().contains(&filter)
        })
        .collect();
    let page: Vec<Value> = matching
        .iter()
        .skip(after)
        .take(first)
        .map(|h| host_json(h, false))
        .collect();
    Ok(json!({"userHostsList": page, "userHostsListCount": matching.len()}))
}

fn op_host(st: &mut State, user: usize, vars: &Value) -> Result<Value, Response> {
    let host = own_host(st, user, var_i64(vars, "id")?)?;
    Ok(json!({"userHost": host_json(host, false)}))
}

fn op_toggle(st: &mut State, user: usize, vars: &Value) -> Result<Value, Response> {
    let config_id = var_i64(vars, "id")?;
    let host = own_host(st, user, var_i64(vars, "hostId")?)?;
    let Some(config) = host
        .services
        .iter_mut()
        .flat_map(|s| s.configs.iter_mut())
        .find(|c| c.id == config_id)
    else {
        return Err(gql_error("RESOURCE_NOT_FOUND"));
    };
    config.active = !config.active;
    Ok(json!({"toggleServiceConfig": {"isActive": config.active}}))
}

/// The status a host's module reports: forced by the admin endpoint, else
/// from the agent's state (waf, vc), else spread over the module's codes
/// by host id so that a few hosts show every status.
fn status_of(h: &HostRec, module: Module) -> i64 {
    if let Some(s) = h.forced.get(&module) {
        return *s;
    }
    let idx = Module::ALL.iter().position(|m| *m == module).unwrap_or(0) as i64;
    match module {
        Module::Waf | Module::Vc => {
            let agent = if module == Module::Waf {
                Agent::Waf
            } else {
                Agent::Vc
            };
            if h.agents[agent as usize].verified {
                let spread: &[i64] = if module == Module::Waf {
                    &[0, 1]
                } else {
                    &[0, 1, 2]
                };
                spread[(h.id as usize) % spread.len()]
            } else if h.id % 5 == 0 {
                -400
            } else {
                -300
            }
        }
        _ => {
            let codes = module.statuses();
            let n = codes.len() as i64;
            let pick = (h.id + idx * 3).rem_euclid(n + 4);
            if pick >= n { 0 } else { codes[pick as usize].0 }
        }
    }
}

const DAY_MS: i64 = 86_400_000;

/// One `<module>ServiceChecks` entry for a host, with realistic data.
fn check_json(h: &HostRec, module: Module, with_host: bool) -> Option<Value> {
    let svc = h.services.iter().find(|s| s.name == module.code())?;
    let cfg = svc.configs.first()?;
    let status = status_of(h, module);
    let now = now_ms();
    let last = now - (h.id % 60) * 60_000;
    let mut config =
        json!({"id": cfg.id, "isActive": cfg.active, "service": {"id": svc.id}, "data": cfg.data});
    if with_host {
        config["userhost"] = json!({"id": h.id, "title": h.title, "hostname": h.hostname});
    }
    let mut o = Map::new();
    o.insert("config".into(), config);
    o.insert("status".into(), json!(status));
    let bad = status > 0;
    let fields = match module {
        Module::Wa => json!({
            "isDown": status == 1,
            "average": {"uptimePercent": if bad { 0.9412 } else { 0.9997 }, "totalDown": if bad { 5_100_000 } else { 26_000 }},
            "responseTime": {"avg": 140 + h.id % 120},
            "testsResults": (0..6).map(|i| json!({"time": now - i * 3_600_000, "responseTime": 120 + (h.id + i) % 90, "status": if bad && i == 0 { 503 } else { 200 }})).collect::<Vec<_>>(),
        }),
        Module::Ssl => {
            let days: i64 = match status {
                2 => -3,
                3 => 9,
                4 => 0,
                1 => 40,
                _ => 75,
            };
            json!({"issued": now - 15 * DAY_MS, "expires": now + days * DAY_MS + DAY_MS / 3, "daysLeft": days, "tls": if status == 1 { "TLSv1.0" } else { "TLSv1.3" }})
        }
        Module::Dec => {
            let days: i64 = match status {
                2 => -1,
                1 => 20,
                3 => 0,
                _ => 300,
            };
            json!({"email": format!("hostmaster@{}", h.hostname), "daysLeft": days, "created": now - 3 * 365 * DAY_MS,
                   "expires": now + days * DAY_MS, "registrar": "Example Registrar, Inc.", "owner": "Private Person", "status": status})
        }
        Module::Av => {
            json!({"lastTestId": 9000 + h.id, "lastTestTime": last, "count": if bad { 2 } else { 0 },
            "list": if bad { json!([{"name": "Spamhaus DBL", "url": "https://www.spamhaus.org/"}, {"name": "Google Safe Browsing"}]) } else { json!([]) }})
        }
        Module::Cms => {
            json!({"lastTestId": 7000 + h.id, "lastTestTime": last, "count": if bad { 1 } else { 0 },
            "list": if bad { json!([{"keyword": "coinhive.min.js", "path": "/"}]) } else { json!([]) }})
        }
        Module::Dc => json!({"lastTestTime": last, "count": if bad { 3 } else { 0 },
            "list": if bad { json!([{"path": "/", "words": ["hacked by"]}]) } else { json!([]) }}),
        Module::Ps => {
            let tcp: Vec<i64> = if bad {
                vec![21, 80, 443, 3306]
            } else {
                vec![80, 443]
            };
            json!({"ip": format!("192.0.2.{}", h.id % 250 + 1), "lastTestId": 5000 + h.id, "lastTestTime": last,
                   "count": tcp.len(), "openTCPs": tcp, "openUDPs": if bad { vec![53] } else { vec![] }})
        }
        Module::Waf => {
            json!({"lastTestTime": last, "count": if bad { 37 + h.id } else { 0 }, "countIP": if bad { 5 } else { 0 },
            "chart": (0..7).map(|d| json!({"date": now - (6 - d) * DAY_MS, "count": if bad { (h.id + d) % 9 } else { 0 }})).collect::<Vec<_>>()})
        }
        Module::Vc => {
            let matches = json!([{"Rule": "php_webshell_generic", "Meta": {"description": "PHP web shell"}, "Strings": [{"Name": "$eval", "Offset": 120, "Data": "ZXZhbCgkX1BPU1RbJ3gnXSk="}]}]);
            let list = match status {
                1 => json!([{"filePath": "wp-config.php", "event": 1, "matches": ""}]),
                2 => {
                    json!([{"filePath": "wp-content/uploads/x.php", "event": 2, "matches": matches.to_string()}])
                }
                _ => json!([]),
            };
            json!({"list": list, "fileChangesCount": if status == 1 { 1 } else { 0 }, "errorsCount": 0, "signaturesCount": if status == 2 { 1 } else { 0 }})
        }
    };
    if let Value::Object(f) = fields {
        o.extend(f);
    }
    Some(Value::Object(o))
}

fn op_host_checks(st: &mut State, user: usize, vars: &Value) -> Result<Value, Response> {
    for range in ["dateRange", "dateRangeWaf"] {
        if !vars
            .get(range)
            .is_some_and(|r| r.get("from").is_some() && r.get("to").is_some())
        {
            return Err(bad_request(&format!(
                "Variable \"${range}\" of required type \"DateRangeInput!\" was not provided."
            )));
        }
    }
    let host = own_host(st, user, var_i64(vars, "hostId")?)?;
    let mut data = Map::new();
    for module in Module::ALL {
        let list: Vec<Value> = check_json(host, module, false).into_iter().collect();
        data.insert(module.checks_field().into(), Value::Array(list));
    }
    Ok(Value::Object(data))
}

fn op_overview(st: &State, user: usize, vars: &Value) -> Result<Value, Response> {
    let first = vars
        .get("first")
        .and_then(Value::as_i64)
        .unwrap_or(100)
        .clamp(0, 1000) as usize;
    let after = vars
        .get("after")
        .and_then(Value::as_i64)
        .unwrap_or(0)
        .max(0) as usize;
    let mut data = Map::new();
    for module in Module::ALL {
        let list: Vec<Value> = st
            .hosts
            .iter()
            .filter(|h| h.owner == user)
            .filter_map(|h| check_json(h, module, true))
            .skip(after)
            .take(first)
            .collect();
        data.insert(module.checks_field().into(), Value::Array(list));
    }
    Ok(Value::Object(data))
}

/// `uploadResearchSample`: keeps one sample per SHA-256; a known one is a
/// no-op answered `duplicate`. The data must decode, fit the cap and match
/// `dataSha256`, else `SAMPLE_REJECTED`.
fn op_upload_sample(st: &mut State, user: usize, vars: &Value) -> Result<Value, Response> {
    use base64::Engine as _;
    let input = vars.get("input").cloned().unwrap_or_default();
    let host_id = var_i64(&input, "userHostId")?;
    own_host(st, user, host_id)?;
    let sha256 = var_str(&input, "sha256")?.to_string();
    let data = base64::engine::general_purpose::STANDARD
        .decode(var_str(&input, "dataBase64")?)
        .map_err(|_| gql_error("SAMPLE_REJECTED"))?;
    let hex_ok = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if data.len() > super::research::MAX_SAMPLE_BYTES
        || !hex_ok(&sha256)
        || var_str(&input, "dataSha256")? != crate::malware::scan::sha256_hex(&data)
    {
        return Err(gql_error("SAMPLE_REJECTED"));
    }
    if let Some(rec) = st.samples.iter_mut().find(|r| r.sha256 == sha256) {
        rec.duplicates += 1;
        return Ok(
            json!({"uploadResearchSample": {"id": rec.id.to_string(), "sha256": sha256, "duplicate": true}}),
        );
    }
    let id = st.samples.len() as i64 + 1;
    st.samples.push(SampleRec {
        id,
        host_id,
        path: var_str(&input, "path")?.to_string(),
        sha256: sha256.clone(),
        size: input.get("size").and_then(Value::as_u64).unwrap_or(0),
        truncated: input
            .get("truncated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        category: var_str(&input, "category")?.to_string(),
        rule_ids: input.get("ruleIds").cloned().unwrap_or(json!([])),
        data,
        duplicates: 0,
    });
    Ok(
        json!({"uploadResearchSample": {"id": id.to_string(), "sha256": sha256, "duplicate": false}}),
    )
}

/// `uploadResearchFirewallLog`: keeps chunks by log and byte range; the
/// same range again is a no-op answered `duplicate`, an overlapping one
/// with other content `LOG_RANGE_CONFLICT`.
fn op_upload_log(st: &mut State, user: usize, vars: &Value) -> Result<Value, Response> {
    let input = vars.get("input").cloned().unwrap_or_default();
    let host_id = var_i64(&input, "userHostId")?;
    own_host(st, user, host_id)?;
    let log_id = var_str(&input, "logId")?.to_string();
    let from = var_i64(&input, "offsetFrom")?;
    let to = var_i64(&input, "offsetTo")?;
    let sha = var_str(&input, "chunkSha256")?.to_string();
    let Some(events) = input.get("events").and_then(Value::as_array) else {
        return Err(bad_request(
            "Variable \"$input.events\" of required type \"[JSON!]!\" was not provided.",
        ));
    };
    if from < 0 || to <= from {
        return Err(gql_error("LOG_RANGE_CONFLICT"));
    }
    let (from, to) = (from as u64, to as u64);
    let same_log = |r: &&LogRec| r.host_id == host_id && r.log_id == log_id;
    if let Some(r) = st
        .logs
        .iter()
        .filter(same_log)
        .find(|r| from < r.to && r.from < to)
    {
        if r.from == from && r.to == to && r.chunk_sha256 == sha {
            return Ok(
                json!({"uploadResearchFirewallLog": {"accepted": 0, "duplicate": true, "nextOffset": to}}),
            );
        }
        return Err(gql_error("LOG_RANGE_CONFLICT"));
    }
    let accepted = events.len();
    st.logs.push(LogRec {
        host_id,
        log_id,
        from,
        to,
        chunk_sha256: sha,
        events: events.clone(),
    });
    Ok(
        json!({"uploadResearchFirewallLog": {"accepted": accepted, "duplicate": false, "nextOffset": to}}),
    )
}

/// What `GET /__emulator/research` shows: every sample and log chunk kept.
fn research_json(st: &State) -> Value {
    use base64::Engine as _;
    let samples: Vec<Value> = st
        .samples
        .iter()
        .map(|r| {
            json!({
                "id": r.id.to_string(), "host_id": r.host_id, "path": r.path, "sha256": r.sha256,
                "size": r.size, "truncated": r.truncated, "category": r.category, "rule_ids": r.rule_ids,
                "data_base64": base64::engine::general_purpose::STANDARD.encode(&r.data),
                "duplicates": r.duplicates,
            })
        })
        .collect();
    let logs: Vec<Value> = st
        .logs
        .iter()
        .map(|r| {
            json!({"host_id": r.host_id, "log_id": r.log_id, "offset_from": r.from, "offset_to": r.to,
                   "chunk_sha256": r.chunk_sha256, "events": r.events})
        })
        .collect();
    json!({"samples": samples, "logs": logs})
}

fn state_json(st: &State) -> Value {
    let users: Vec<Value> = st
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            json!({
                "email": u.email, "name": u.name, "api_key": u.api_key, "confirmed": u.confirmed, "registration": u.registration,
                "confirmation_code": if u.confirmed { Value::Null } else { json!(u.code) },
                "hosts": st.hosts.iter().filter(|h| h.owner == i).map(|h| json!({"id": h.id, "hostname": h.hostname})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let faults: Vec<Value> = st
        .faults
        .iter()
        .map(|(f, n)| json!({"fault": f.name(), "count": n}))
        .collect();
    json!({"requests": st.requests, "operations": st.operations, "users": users, "faults": faults, "tokens": st.tokens.len()})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(
        emu: &Emulator,
        op: &str,
        vars: Value,
        token: Option<&str>,
        fault: Option<&str>,
    ) -> Value {
        let doc = gql::OPERATIONS.iter().find(|(n, _)| *n == op).unwrap().1;
        let body =
            serde_json::to_vec(&json!({"query": doc, "operationName": op, "variables": vars}))
                .unwrap();
        let auth = token.map(|t| format!("Bearer {t}"));
        let resp = emu.handle(&Request {
            method: "POST",
            path: GRAPHQL_PATH,
            authorization: auth.as_deref(),
            fault,
            body: &body,
        });
        serde_json::from_slice(&resp.body).unwrap()
    }

    #[test]
    fn every_module_shows_every_status_over_a_few_hosts() {
        let emu = Emulator::new(EmulatorConfig {
            api_keys: vec!["k".into()],
            seed_hosts: 30,
            ..Default::default()
        });
        let st = emu.lock();
        for module in Module::ALL {
            if matches!(module, Module::Waf | Module::Vc) {
                continue;
            }
            for (code, label) in module.statuses() {
                assert!(
                    st.hosts.iter().any(|h| status_of(h, module) == *code),
                    "{} never shows {label}",
                    module.code()
                );
            }
        }
    }

    #[test]
    fn rejects_unknown_documents_and_needs_a_token() {
        let emu = Emulator::new(EmulatorConfig {
            api_keys: vec!["k".into()],
            ..Default::default()
        });
        let body = serde_json::to_vec(&json!({"query": "query Host($id: Int!) { userHost(id: $id) { password } }", "variables": {"id": 1}})).unwrap();
        let resp = emu.handle(&Request {
            method: "POST",
            path: GRAPHQL_PATH,
            authorization: None,
            fault: None,
            body: &body,
        });
        assert_eq!(resp.status, 400);
        let out = post(&emu, "Hosts", json!({}), Some("nope"), None);
        assert_eq!(out["errors"][0]["message"], "Invalid token");
        let out = post(&emu, "Auth", json!({"apiKey": "k"}), None, None);
        let token = out["data"]["apiServiceMutation"]["auth"]["value"]
            .as_str()
            .unwrap()
            .to_string();
        let out = post(
            &emu,
            "Hosts",
            json!({"first": 10, "after": 0, "filter": ""}),
            Some(&token),
            None,
        );
        assert_eq!(out["data"]["userHostsListCount"], 0);
        let out = post(
            &emu,
            "Hosts",
            json!({}),
            Some(&token),
            Some("expired-token"),
        );
        assert_eq!(out["errors"][0]["message"], "Invalid token");
        let out = post(&emu, "Hosts", json!({}), Some(&token), None);
        assert_eq!(
            out["errors"][0]["message"], "Invalid token",
            "the expired token stays expired"
        );
    }
}
