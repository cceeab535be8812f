//! The blocking GraphQL client of the G1 WebTotem API.
//!
//! A [`Client`] is made per call from PHP (never at module start-up: PHP-FPM
//! forks its workers, and a client holds a thread and sockets). Requests
//! are POSTs of `{"query", "operationName", "variables"}` built with serde,
//! over rustls with certificate verification always on; an extra CA
//! certificate may be trusted (the emulator's). Plain `http://` is allowed
//! only to a loopback address. Responses are read up to
//! [`MAX_RESPONSE_BYTES`]; reads (queries) are retried with backoff on
//! connection failures and HTTP 5xx/429, writes never.

use super::error::{ApiError, ApiErrorCode};
use super::graphql as gql;
use super::model::{
    Agent, Host, HostChecks, HostOverview, HostPage, Module, ModuleCheck, ModuleStatus,
    default_services, overview_entry, summary,
};
use super::sites;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::time::Duration;

/// The G1 endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://api.wtotem.com/v1/graphql";
/// The largest response body the client reads (8 MiB); a larger one is
/// [`ApiErrorCode::ResponseTooLarge`].
pub const MAX_RESPONSE_BYTES: u64 = 8 << 20;
/// The default time allowed to connect (5 s).
pub const DEFAULT_CONNECT_TIMEOUT_MS: u64 = 5_000;
/// The default time allowed for a whole request (15 s).
pub const DEFAULT_TIMEOUT_MS: u64 = 15_000;
/// How many times a read is tried in all.
pub const READ_ATTEMPTS: u32 = 3;
/// Page size of host and check lists.
pub const PAGE_SIZE: i64 = 100;
/// No list is read past this many pages (100,000 hosts).
const MAX_PAGES: i64 = 1_000;

/// How to reach the API, as PHP passes it (`$connection`).
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    /// The GraphQL endpoint; default [`DEFAULT_ENDPOINT`].
    #[serde(default)]
    pub endpoint: Option<String>,
    /// The account's API key (from the WebTotem cabinet).
    #[serde(default)]
    pub api_key: Option<String>,
    /// A bearer token from an earlier sign-in; renewed with the API key when refused.
    #[serde(default)]
    pub token: Option<String>,
    /// Extra trusted CA certificates (PEM), e.g. the emulator's.
    #[serde(default)]
    pub ca_cert_pem: Option<String>,
    /// The time allowed for a whole request, in milliseconds (default 15,000).
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// The time allowed to connect, in milliseconds (default 5,000).
    #[serde(default)]
    pub connect_timeout_ms: Option<u64>,
    /// The Plesk account's e-mail: when set, sign-in and registration are
    /// refused for e-mails outside its domain.
    #[serde(default)]
    pub plesk_email: Option<String>,
    /// The WebTotem account's e-mail, checked against `plesk_email` at sign-in.
    #[serde(default)]
    pub email: Option<String>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = |s: &Option<String>| s.as_ref().map(|_| "<redacted>");
        f.debug_struct("Connection")
            .field("endpoint", &self.endpoint)
            .field("api_key", &secret(&self.api_key))
            .field("token", &secret(&self.token))
            .field("ca_cert_pem", &self.ca_cert_pem.as_ref().map(|p| p.len()))
            .field("timeout_ms", &self.timeout_ms)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .field("plesk_email", &self.plesk_email)
            .field("email", &self.email)
            .finish()
    }
}

/// A bearer token from `apiServiceMutation.auth`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Token {
    /// The bearer token.
    pub token: String,
    /// The refresh token, as sent (G1 clients never used it).
    pub refresh_token: Option<String>,
    /// Seconds until the token expires, as sent.
    pub expires_in: Option<i64>,
}

/// A new account, as `createUser` takes it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// The e-mail (must be in the domain of the Plesk account's e-mail).
    pub email: String,
    /// The user's name.
    pub name: String,
    /// The password.
    pub password: String,
    /// The UTC offset in hours (default 1, as the G1 client sent).
    #[serde(default)]
    pub timezone: Option<i64>,
    /// The IANA zone name (default `Asia/Almaty`, as the G1 client sent).
    #[serde(default)]
    pub tz_name: Option<String>,
    /// The `source` of the registration (default `WORDPRESS`, the only value
    /// the G1 contract shows; the API's other values are not known).
    #[serde(default)]
    pub source: Option<String>,
}

/// The result of registration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Registered {
    /// Always true (a refusal is an error).
    pub registered: bool,
    /// The e-mail the confirmation code was sent to.
    pub email: String,
    /// The API's result as sent (a JSON scalar in G1).
    pub result: Value,
}

/// The result of an e-mail confirmation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Confirmed {
    /// Always true (a wrong code is an error).
    pub confirmed: bool,
    /// The new account's API key, when the API returns one.
    pub api_key: Option<String>,
    /// The API's result as sent.
    pub result: Value,
}

/// The result of setting a module on or off.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModuleSwitch {
    /// The host id.
    pub host_id: i64,
    /// The module.
    pub module: Module,
    /// The configuration toggled (or left).
    pub config_id: i64,
    /// Whether the module runs now.
    pub is_active: bool,
    /// Whether a toggle was sent (false when it was already so).
    pub changed: bool,
}

/// A generated agent file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentFile {
    /// `waf` or `vc`.
    pub agent: Agent,
    /// The name the API gave (a safe plain name: letters, digits, `_`, `-`).
    pub agent_name: String,
    /// The file name to install, `<agent_name>.<agent>.php`.
    pub file_name: String,
}

/// The cloud's verdict on an installed agent.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentCheck {
    /// `waf` or `vc`.
    pub agent: Agent,
    /// Whether the cloud reached the agent.
    pub installed: bool,
    /// The API's `lockFor`, when set (the check is locked for a while).
    pub lock_for: Value,
    /// Installed and not locked.
    pub ok: bool,
}

/// The overview of every host of the account.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dashboard {
    /// Every host with the status of each module.
    pub hosts: Vec<HostOverview>,
    /// How many HTTP requests it took.
    pub requests: u32,
}

/// The client. Made per call; see the module documentation.
pub struct Client {
    conn: Connection,
    endpoint: reqwest::Url,
    http: reqwest::blocking::Client,
    token: Option<String>,
    requests: u32,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("conn", &self.conn)
            .field("requests", &self.requests)
            .finish()
    }
}

fn bad_connection(detail: impl Into<String>) -> ApiError {
    ApiError::with(ApiErrorCode::BadConnection, detail)
}

fn bad_response(detail: impl Into<String>) -> ApiError {
    ApiError::with(ApiErrorCode::BadResponse, detail)
}

/// Whether the URL's host is 127.0.0.0/8, ::1 or `localhost`.
pub fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// Whether `err` or anything under it is a TLS failure.
fn is_tls_error(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if e.downcast_ref::<tokio_rustls::rustls::Error>().is_some() {
            return true;
        }
        let text = e.to_string().to_ascii_lowercase();
        if text.contains("certificate") || text.contains("tls") || text.contains("handshake") {
            return true;
        }
        cur = e.source();
    }
    false
}

fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        let s = e.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = e.source();
    }
    parts.join(": ")
}

/// A transport failure and whether trying again may help.
fn transport_error(err: reqwest::Error) -> (ApiError, bool) {
    let err = err.without_url();
    if err.is_timeout() {
        return (
            ApiError::with(ApiErrorCode::Timeout, error_chain(&err)),
            false,
        );
    }
    if is_tls_error(&err) {
        return (
            ApiError::with(ApiErrorCode::TlsError, error_chain(&err)),
            false,
        );
    }
    let retry = err.is_connect() || err.is_request();
    (
        ApiError::with(ApiErrorCode::ConnectionFailed, error_chain(&err)),
        retry,
    )
}

fn read_error(err: std::io::Error) -> (ApiError, bool) {
    let timeout = err.kind() == std::io::ErrorKind::TimedOut
        || err
            .get_ref()
            .and_then(|e| e.downcast_ref::<reqwest::Error>())
            .is_some_and(|e| e.is_timeout());
    if timeout {
        (
            ApiError::with(ApiErrorCode::Timeout, err.to_string()),
            false,
        )
    } else {
        (
            bad_response(format!("the response was cut off: {err}")),
            true,
        )
    }
}

/// Reads a response body of at most [`MAX_RESPONSE_BYTES`].
fn read_capped(resp: reqwest::blocking::Response) -> Result<Vec<u8>, (ApiError, bool)> {
    if resp
        .content_length()
        .is_some_and(|n| n > MAX_RESPONSE_BYTES)
    {
        return Err((
            ApiError::with(
                ApiErrorCode::ResponseTooLarge,
                format!(
                    "{} bytes announced, at most {MAX_RESPONSE_BYTES} read",
                    resp.content_length().unwrap_or(0)
                ),
            ),
            false,
        ));
    }
    let mut buf = Vec::new();
    resp.take(MAX_RESPONSE_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(read_error)?;
    if buf.len() as u64 > MAX_RESPONSE_BYTES {
        return Err((
            ApiError::with(
                ApiErrorCode::ResponseTooLarge,
                format!("more than {MAX_RESPONSE_BYTES} bytes"),
            ),
            false,
        ));
    }
    Ok(buf)
}

/// The API's error for a GraphQL `errors` list, if it has one.
fn graphql_error(doc: &Value) -> Option<ApiError> {
    let first = doc.get("errors")?.as_array()?.first()?;
    let message = first
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("an error with no message");
    let code = ApiErrorCode::from_api_message(message);
    Some(match code {
        ApiErrorCode::ServerError | ApiErrorCode::PasswordExpired => {
            ApiError::with(code, message.chars().take(500).collect::<String>())
        }
        _ => ApiError::new(code),
    })
}

/// `value` at `path` (object keys), or a [`ApiErrorCode::BadResponse`] naming it.
fn at<'a>(value: &'a Value, path: &[&str]) -> Result<&'a Value, ApiError> {
    let mut cur = value;
    for key in path {
        cur = cur
            .get(key)
            .ok_or_else(|| bad_response(format!("the response has no {}", path.join("."))))?;
    }
    Ok(cur)
}

fn decode<T: serde::de::DeserializeOwned>(value: &Value, what: &str) -> Result<T, ApiError> {
    serde_json::from_value(value.clone()).map_err(|e| bad_response(format!("{what}: {e}")))
}

/// A JSON scalar that may arrive as JSON text: decoded when it is.
fn scalar(value: &Value) -> Value {
    match value {
        Value::String(s) if s.trim_start().starts_with(['{', '[']) => {
            serde_json::from_str(s).unwrap_or_else(|_| value.clone())
        }
        _ => value.clone(),
    }
}

/// Whether `name` is a safe agent name: 1–128 ASCII letters, digits, `_`, `-`.
pub fn is_safe_agent_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl Client {
    /// The endpoint of `conn`, checked (HTTPS, or HTTP to a loopback
    /// address only; no user or password in it), and whether it is loopback.
    fn endpoint_of(conn: &Connection) -> Result<(reqwest::Url, bool), ApiError> {
        let endpoint_text = conn.endpoint.as_deref().unwrap_or(DEFAULT_ENDPOINT);
        let endpoint = reqwest::Url::parse(endpoint_text)
            .map_err(|e| bad_connection(format!("endpoint {endpoint_text:?}: {e}")))?;
        let loopback = is_loopback(&endpoint);
        match endpoint.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(bad_connection(
                    "plain http:// is allowed only to a loopback address; use https://",
                ));
            }
            other => return Err(bad_connection(format!("unsupported scheme {other:?}"))),
        }
        if !endpoint.username().is_empty() || endpoint.password().is_some() {
            return Err(bad_connection(
                "the endpoint must not carry a user name or password",
            ));
        }
        Ok((endpoint, loopback))
    }

    /// The extra CA certificates of `conn`, checked.
    fn ca_certs_of(conn: &Connection) -> Result<Vec<reqwest::Certificate>, ApiError> {
        let Some(pem) = conn.ca_cert_pem.as_deref().filter(|p| !p.trim().is_empty()) else {
            return Ok(Vec::new());
        };
        let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
            .map_err(|e| bad_connection(format!("ca_cert_pem: {e}")))?;
        if certs.is_empty() {
            return Err(bad_connection("ca_cert_pem holds no certificate"));
        }
        Ok(certs)
    }

    /// Checks `conn` as [`Client::new`] does, without setting up a client.
    pub fn check(conn: &Connection) -> Result<(), ApiError> {
        Self::endpoint_of(conn)?;
        Self::ca_certs_of(conn)?;
        Ok(())
    }

    /// A client for `conn`: checks the endpoint and the CA certificates
    /// ([`Client::check`]), and sets up TLS and the timeouts.
    pub fn new(conn: Connection) -> Result<Client, ApiError> {
        let (endpoint, loopback) = Self::endpoint_of(&conn)?;
        let timeout = Duration::from_millis(
            conn.timeout_ms
                .unwrap_or(DEFAULT_TIMEOUT_MS)
                .clamp(1, 600_000),
        );
        let connect_timeout = Duration::from_millis(
            conn.connect_timeout_ms
                .unwrap_or(DEFAULT_CONNECT_TIMEOUT_MS)
                .clamp(1, 600_000),
        )
        .min(timeout);
        let mut builder = reqwest::blocking::Client::builder()
            .use_rustls_tls()
            .min_tls_version(reqwest::tls::Version::TLS_1_2)
            .https_only(!loopback)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect_timeout)
            .timeout(timeout)
            .user_agent(concat!("webtotem-plesk/", env!("CARGO_PKG_VERSION")));
        if loopback {
            builder = builder.no_proxy();
        }
        for cert in Self::ca_certs_of(&conn)? {
            builder = builder.add_root_certificate(cert);
        }
        let http = builder
            .build()
            .map_err(|e| bad_connection(error_chain(&e)))?;
        let token = conn.token.clone().filter(|t| !t.is_empty());
        Ok(Client {
            conn,
            endpoint,
            http,
            token,
            requests: 0,
        })
    }

    /// The bearer token in use (after a sign-in or renewal, the new one).
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The connection as it stands now: the token in use (renewed or new)
    /// and the API key of an account confirmed through this client.
    pub fn connection(&self) -> Connection {
        let mut conn = self.conn.clone();
        conn.token = self.token.clone();
        conn
    }

    /// How many HTTP requests this client has sent.
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// One HTTP attempt: POSTs the body, reads it capped, returns `data`.
    fn send_once(&mut self, body: &Value, bearer: Option<&str>) -> Result<Value, (ApiError, bool)> {
        self.requests += 1;
        let mut req = self
            .http
            .post(self.endpoint.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .json(body);
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        let resp = req.send().map_err(transport_error)?;
        let status = resp.status();
        let bytes = read_capped(resp)?;
        let retry_status = status.is_server_error() || status.as_u16() == 429;
        let doc: Value = match serde_json::from_slice(&bytes) {
            Ok(doc) => doc,
            Err(e) if status.is_success() => {
                return Err((bad_response(format!("invalid JSON: {e}")), true));
            }
            Err(_) => {
                return Err((
                    ApiError::with(ApiErrorCode::HttpError, format!("HTTP {}", status.as_u16())),
                    retry_status,
                ));
            }
        };
        if let Some(err) = graphql_error(&doc) {
            return Err((err, false));
        }
        if !status.is_success() {
            return Err((
                ApiError::with(ApiErrorCode::HttpError, format!("HTTP {}", status.as_u16())),
                retry_status,
            ));
        }
        match doc.get("data") {
            Some(data @ Value::Object(_)) => Ok(data.clone()),
            _ => Err((bad_response("the response has no data"), false)),
        }
    }

    /// Sends one operation; reads are tried up to [`READ_ATTEMPTS`] times
    /// with backoff (0.2 s, 0.4 s) on retryable failures.
    fn post(
        &mut self,
        operation: &str,
        document: &str,
        variables: Value,
        bearer: Option<String>,
        idempotent: bool,
    ) -> Result<Value, ApiError> {
        let body = json!({"query": document, "operationName": operation, "variables": variables});
        let attempts = if idempotent { READ_ATTEMPTS } else { 1 };
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.send_once(&body, bearer.as_deref()) {
                Ok(data) => return Ok(data),
                Err((_, true)) if attempt < attempts => {
                    std::thread::sleep(Duration::from_millis(200 << (attempt - 1)));
                }
                Err((err, _)) => return Err(err),
            }
        }
    }

    /// Sends an operation that needs the bearer token: signs in first when
    /// there is none, and once more when the token is refused; a second
    /// refusal is [`ApiErrorCode::InvalidToken`].
    pub(super) fn authed(
        &mut self,
        operation: &str,
        document: &str,
        variables: Value,
        idempotent: bool,
    ) -> Result<Value, ApiError> {
        if self.token.is_none() {
            self.login()?;
        }
        let first = self.post(
            operation,
            document,
            variables.clone(),
            self.token.clone(),
            idempotent,
        );
        match first {
            Err(e) if e.code == ApiErrorCode::InvalidToken => {
                if self.conn.api_key.as_deref().is_none_or(str::is_empty) {
                    return Err(ApiError::with(
                        ApiErrorCode::InvalidToken,
                        "the token was refused and no API key was given to sign in again",
                    ));
                }
                self.token = None;
                self.login()?;
                match self.post(
                    operation,
                    document,
                    variables,
                    self.token.clone(),
                    idempotent,
                ) {
                    Err(e) if e.code == ApiErrorCode::InvalidToken => Err(ApiError::with(
                        ApiErrorCode::InvalidToken,
                        "refused again right after signing in with the API key",
                    )),
                    other => other,
                }
            }
            other => other,
        }
    }

    fn check_email(&self, email: Option<&str>) -> Result<(), ApiError> {
        if let (Some(plesk), Some(email)) = (self.conn.plesk_email.as_deref(), email)
            && !sites::email_allowed(plesk, email)
        {
            return Err(ApiError::with(
                ApiErrorCode::EmailNotAllowed,
                format!("{} is not in the domain of {}", email.trim(), plesk.trim()),
            ));
        }
        Ok(())
    }

    /// Signs in with the API key (`apiServiceMutation.auth`) and keeps the
    /// token. Refused when the connection's `email` breaks the account rule.
    pub fn login(&mut self) -> Result<Token, ApiError> {
        self.check_email(self.conn.email.clone().as_deref())?;
        let key = self
            .conn
            .api_key
            .clone()
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| ApiError::new(ApiErrorCode::NotAuthenticated))?;
        let data = self.post("Auth", gql::AUTH, json!({"apiKey": key.trim()}), None, true)?;
        let auth = at(&data, &["apiServiceMutation", "auth"])?;
        let token = auth
            .get("value")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| bad_response("the sign-in returned no token"))?
            .to_string();
        self.token = Some(token.clone());
        Ok(Token {
            token,
            refresh_token: auth
                .get("refreshToken")
                .and_then(Value::as_str)
                .map(str::to_string),
            expires_in: auth.get("expiresIn").and_then(Value::as_i64),
        })
    }

    /// Registers a new account (`createUser`, with the G1 client's fixed
    /// fields). The e-mail must pass the account rule against the
    /// connection's `plesk_email`, which is required here.
    pub fn register(&mut self, reg: &Registration) -> Result<Registered, ApiError> {
        if self
            .conn
            .plesk_email
            .as_deref()
            .is_none_or(|e| e.trim().is_empty())
        {
            return Err(ApiError::with(
                ApiErrorCode::EmailNotAllowed,
                "the connection names no plesk_email to check the e-mail against",
            ));
        }
        self.check_email(Some(&reg.email))?;
        let email = reg.email.trim().to_string();
        let input = json!({
            "email": email,
            "name": reg.name,
            "password": reg.password,
            "source": reg.source.clone().unwrap_or_else(|| "WORDPRESS".into()),
            "tariffCycle": "MONTHLY",
            "tariffName": "FREE",
            "timezone": reg.timezone.unwrap_or(1),
            "tz_name": reg.tz_name.clone().unwrap_or_else(|| "Asia/Almaty".into()),
        });
        let bearer = self.token.clone();
        let data = self.post(
            "CreateUser",
            gql::CREATE_USER,
            json!({"input": input}),
            bearer,
            false,
        )?;
        let result = scalar(at(&data, &["createUser"])?);
        if result == Value::Bool(false) || result.is_null() {
            return Err(bad_response("createUser returned no result"));
        }
        Ok(Registered {
            registered: true,
            email,
            result,
        })
    }

    /// Confirms the e-mail of a new account with its code
    /// (`pleskMutation.confirmFree`); the API key it returns is kept.
    pub fn confirm_email(&mut self, code: &str) -> Result<Confirmed, ApiError> {
        let code = code.trim();
        if code.is_empty() || code.len() > 256 {
            return Err(ApiError::new(ApiErrorCode::InvalidVerifyCode));
        }
        let data = self.post(
            "ConfirmFree",
            gql::CONFIRM_FREE,
            json!({"code": code}),
            None,
            false,
        )?;
        let result = scalar(at(&data, &["pleskMutation", "confirmFree"])?);
        if result == Value::Bool(false) || result.is_null() {
            return Err(ApiError::new(ApiErrorCode::InvalidVerifyCode));
        }
        let api_key = result
            .get("apiKey")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(key) = &api_key {
            self.conn.api_key = Some(key.clone());
        }
        Ok(Confirmed {
            confirmed: true,
            api_key,
            result,
        })
    }

    /// One page of the account's hosts (`userHostsList`), with the total count.
    pub fn hosts(&mut self, first: i64, after: i64, filter: &str) -> Result<HostPage, ApiError> {
        let vars = json!({"first": first.clamp(1, 1000), "after": after.max(0), "filter": filter});
        let data = self.authed("Hosts", gql::HOSTS, vars, true)?;
        let hosts: Option<Vec<Host>> = decode(at(&data, &["userHostsList"])?, "userHostsList")?;
        let hosts: Vec<Host> = hosts
            .unwrap_or_default()
            .into_iter()
            .map(Host::with_unicode)
            .collect();
        let total = data
            .get("userHostsListCount")
            .and_then(Value::as_i64)
            .unwrap_or(hosts.len() as i64);
        Ok(HostPage { hosts, total })
    }

    /// Every host of the account, [`PAGE_SIZE`] per request.
    pub fn all_hosts(&mut self) -> Result<Vec<Host>, ApiError> {
        let mut all = Vec::new();
        for page in 0..MAX_PAGES {
            let got = self.hosts(PAGE_SIZE, page * PAGE_SIZE, "")?;
            let n = got.hosts.len() as i64;
            all.extend(got.hosts);
            if n < PAGE_SIZE || all.len() as i64 >= got.total {
                break;
            }
        }
        Ok(all)
    }

    /// One host (`userHost`).
    pub fn host(&mut self, id: i64) -> Result<Host, ApiError> {
        let data = self.authed("Host", gql::HOST, json!({"id": id}), true)?;
        let host: Option<Host> = decode(at(&data, &["userHost"])?, "userHost")?;
        host.map(Host::with_unicode)
            .ok_or_else(|| ApiError::new(ApiErrorCode::ResourceNotFound))
    }

    /// Adds a site (`addUserHost`) with the default service configurations.
    /// The host name is sent as lower-case ASCII (punycode); the title
    /// defaults to its Unicode form.
    pub fn add_host(&mut self, hostname: &str, title: Option<&str>) -> Result<Host, ApiError> {
        let ascii = sites::to_ascii(hostname).ok_or_else(|| {
            ApiError::with(
                ApiErrorCode::InvalidDomainName,
                format!(
                    "{:?} is not a domain name",
                    hostname.chars().take(260).collect::<String>()
                ),
            )
        })?;
        let title = title
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| sites::to_unicode(&ascii));
        let input = json!({"hostname": ascii, "title": title, "services": default_services()});
        let data = self.authed("AddUserHost", gql::ADD_HOST, json!({"input": input}), false)?;
        let host: Option<Host> = decode(at(&data, &["addUserHost"])?, "addUserHost")?;
        host.map(Host::with_unicode)
            .ok_or_else(|| bad_response("addUserHost returned no host"))
    }

    /// Toggles a service configuration (`toggleServiceConfig`); returns
    /// whether it is active now.
    pub fn toggle(&mut self, config_id: i64, host_id: i64) -> Result<bool, ApiError> {
        let data = self.authed(
            "ToggleServiceConfig",
            gql::TOGGLE_SERVICE_CONFIG,
            json!({"id": config_id, "hostId": host_id}),
            false,
        )?;
        at(&data, &["toggleServiceConfig", "isActive"])?
            .as_bool()
            .ok_or_else(|| bad_response("toggleServiceConfig.isActive is not a boolean"))
    }

    /// Sets a module on or off: reads the host, and toggles only when the
    /// module's state differs (G1 has only a toggle).
    pub fn set_module(
        &mut self,
        host_id: i64,
        module: Module,
        active: bool,
    ) -> Result<ModuleSwitch, ApiError> {
        let host = self.host(host_id)?;
        let config = host.config_of(module).cloned().ok_or_else(|| {
            ApiError::with(
                ApiErrorCode::ResourceNotFound,
                format!("host {host_id} has no {} service", module.code()),
            )
        })?;
        let mut switch = ModuleSwitch {
            host_id,
            module,
            config_id: config.id,
            is_active: config.is_active,
            changed: false,
        };
        if config.is_active != active {
            switch.is_active = self.toggle(config.id, host_id)?;
            switch.changed = true;
        }
        Ok(switch)
    }

    /// Every module check of one host in one request. `now` (Unix seconds)
    /// anchors the date ranges: the last 24 hours, and the last 7 days for the firewall.
    pub fn host_checks(&mut self, host_id: i64, now: i64) -> Result<HostChecks, ApiError> {
        let vars = json!({
            "hostId": host_id,
            "dateRange": {"from": now - 86_400, "to": now},
            "dateRangeWaf": {"from": now - 7 * 86_400, "to": now},
        });
        let data = self.authed("getAllChecks", gql::HOST_CHECKS, vars, true)?;
        let mut modules = Vec::with_capacity(Module::ALL.len());
        for module in Module::ALL {
            let list = at(&data, &[module.checks_field()])?;
            let entry = match list {
                Value::Array(items) => items.first(),
                Value::Null => None,
                other => Some(other),
            };
            modules.push(ModuleCheck::from_api(module, entry).map_err(bad_response)?);
        }
        Ok(HostChecks { host_id, modules })
    }

    /// The status of every module of every host: the hosts list and the
    /// nine module lists, [`PAGE_SIZE`] hosts per request each, so the cost
    /// is `2 × ⌈hosts / 100⌉` requests (plus a sign-in), whatever the number of modules.
    pub fn dashboard(&mut self) -> Result<Dashboard, ApiError> {
        let before = self.requests;
        let hosts = self.all_hosts()?;
        let mut by_host: BTreeMap<i64, BTreeMap<&'static str, ModuleStatus>> = BTreeMap::new();
        let mut names: BTreeMap<i64, String> = BTreeMap::new();
        for page in 0..MAX_PAGES {
            let vars = json!({"first": PAGE_SIZE, "after": page * PAGE_SIZE});
            let data = self.authed("ChecksOverview", gql::CHECKS_OVERVIEW, vars, true)?;
            let mut full = false;
            for module in Module::ALL {
                let list = match at(&data, &[module.checks_field()])? {
                    Value::Array(items) => items.as_slice(),
                    Value::Null => &[],
                    _ => {
                        return Err(bad_response(format!(
                            "{} is not a list",
                            module.checks_field()
                        )));
                    }
                };
                full |= list.len() as i64 >= PAGE_SIZE;
                for entry in list {
                    let (host_id, hostname, status) =
                        overview_entry(module, entry).map_err(bad_response)?;
                    names.entry(host_id).or_insert(hostname);
                    by_host
                        .entry(host_id)
                        .or_default()
                        .insert(module.code(), status);
                }
            }
            if !full {
                break;
            }
        }
        let mut out = Vec::with_capacity(hosts.len());
        let mut listed = std::collections::HashSet::new();
        for host in hosts {
            listed.insert(host.id);
            out.push((host.id, host.hostname));
        }
        for (id, name) in names {
            if !listed.contains(&id) {
                out.push((id, name));
            }
        }
        let hosts = out
            .into_iter()
            .map(|(host_id, hostname)| {
                let mut modules = by_host.remove(&host_id).unwrap_or_default();
                for module in Module::ALL {
                    modules.entry(module.code()).or_insert(ModuleStatus {
                        status: None,
                        state: "pending",
                        config_id: None,
                        is_active: false,
                    });
                }
                HostOverview {
                    host_id,
                    hostname_unicode: sites::to_unicode(&hostname),
                    hostname,
                    summary: summary(modules.values().map(|m| m.state)),
                    modules,
                }
            })
            .collect();
        Ok(Dashboard {
            hosts,
            requests: self.requests - before,
        })
    }

    /// Generates an agent file for a host (`generateAgent`) and checks the
    /// name the API gives before anyone uses it as a file name.
    pub fn generate_agent(&mut self, host_id: i64, agent: Agent) -> Result<AgentFile, ApiError> {
        let (op, doc) = match agent {
            Agent::Waf => ("GenerateAgentWaf", gql::GENERATE_AGENT_WAF),
            Agent::Vc => ("GenerateAgentVc", gql::GENERATE_AGENT_VC),
        };
        let data = self.authed(op, doc, json!({"hostId": host_id}), false)?;
        let result = scalar(at(&data, &["generateAgent"])?);
        let name = result
            .get("agentName")
            .and_then(Value::as_str)
            .ok_or_else(|| bad_response("generateAgent returned no agentName"))?;
        if !is_safe_agent_name(name) {
            return Err(ApiError::with(
                ApiErrorCode::BadAgentName,
                format!("{:?}", name.chars().take(160).collect::<String>()),
            ));
        }
        Ok(AgentFile {
            agent,
            agent_name: name.to_string(),
            file_name: format!("{name}.{}.php", agent.code()),
        })
    }

    /// Asks the cloud to verify an installed agent (`checkAgent`).
    pub fn check_agent(&mut self, host_id: i64, agent: Agent) -> Result<AgentCheck, ApiError> {
        let (op, doc) = match agent {
            Agent::Waf => ("CheckAgentWaf", gql::CHECK_AGENT_WAF),
            Agent::Vc => ("CheckAgentVc", gql::CHECK_AGENT_VC),
        };
        let data = self.authed(op, doc, json!({"hostId": host_id}), true)?;
        let result = scalar(at(&data, &["checkAgent"])?);
        let installed = result
            .get("installed")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let lock_for = result.get("lockFor").cloned().unwrap_or(Value::Null);
        let locked = !(lock_for.is_null()
            || lock_for == json!(0)
            || lock_for == json!(false)
            || lock_for == json!(""));
        Ok(AgentCheck {
            agent,
            installed,
            ok: installed && !locked,
            lock_for,
        })
    }

    /// Downloads an agent file: a POST with no body to
    /// `<endpoint origin>/<agent_name>.<agent>.php`, as G1 does, over the
    /// same verified TLS. The name must be safe and the content PHP.
    pub fn download_agent(&mut self, agent_name: &str, agent: Agent) -> Result<Vec<u8>, ApiError> {
        if !is_safe_agent_name(agent_name) {
            return Err(ApiError::with(
                ApiErrorCode::BadAgentName,
                format!("{:?}", agent_name.chars().take(160).collect::<String>()),
            ));
        }
        let mut url = self.endpoint.clone();
        url.set_path(&format!("/{agent_name}.{}.php", agent.code()));
        url.set_query(None);
        url.set_fragment(None);
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.download_once(url.clone()) {
                Ok(bytes) => return Ok(bytes),
                Err((_, true)) if attempt < READ_ATTEMPTS => {
                    std::thread::sleep(Duration::from_millis(200 << (attempt - 1)));
                }
                Err((err, _)) => return Err(err),
            }
        }
    }

    fn download_once(&mut self, url: reqwest::Url) -> Result<Vec<u8>, (ApiError, bool)> {
        self.requests += 1;
        let resp = self.http.post(url).send().map_err(transport_error)?;
        let status = resp.status();
        let bytes = read_capped(resp)?;
        if !status.is_success() {
            return Err((
                ApiError::with(ApiErrorCode::HttpError, format!("HTTP {}", status.as_u16())),
                status.is_server_error() || status.as_u16() == 429,
            ));
        }
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let start = text
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(text.len());
        if bytes.is_empty() {
            return Err((bad_response("the agent file is empty"), true));
        }
        if !text[start..].starts_with(b"<?php") {
            return Err((bad_response("the agent file is not PHP code"), false));
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(endpoint: &str) -> Connection {
        Connection {
            endpoint: Some(endpoint.into()),
            api_key: Some("secret-key".into()),
            token: Some("secret-token".into()),
            ..Default::default()
        }
    }

    #[test]
    fn refuses_unsafe_endpoints_and_hides_secrets() {
        for bad in [
            "http://api.wtotem.com/v1/graphql",
            "ftp://127.0.0.1/x",
            "https://user:pw@api.wtotem.com/v1/graphql",
            "not a url",
        ] {
            let err = Client::new(conn(bad)).unwrap_err();
            assert_eq!(err.code, ApiErrorCode::BadConnection, "{bad}");
        }
        for ok in [
            "http://127.0.0.1:1/graphql",
            "http://[::1]:1/graphql",
            "http://localhost:1/graphql",
            DEFAULT_ENDPOINT,
        ] {
            Client::new(conn(ok)).unwrap();
        }
        let text = format!("{:?}", conn(DEFAULT_ENDPOINT));
        assert!(
            !text.contains("secret") && text.contains("redacted"),
            "{text}"
        );
        let mut c = conn(DEFAULT_ENDPOINT);
        c.ca_cert_pem =
            Some("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".into());
        assert_eq!(
            Client::new(c).unwrap_err().code,
            ApiErrorCode::BadConnection
        );
    }

    #[test]
    fn agent_names_are_plain() {
        assert!(is_safe_agent_name("a1B2_c-3"));
        for bad in ["", "../x", "a/b", "a.b", "a b", "a\0", &"x".repeat(129)] {
            assert!(!is_safe_agent_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn reads_graphql_errors_and_scalars() {
        let e = graphql_error(&json!({"errors": [{"message": "DUPLICATE_HOST"}], "data": null}))
            .unwrap();
        assert_eq!(e, ApiError::new(ApiErrorCode::DuplicateHost));
        let e = graphql_error(&json!({"errors": [{"message": "odd"}]})).unwrap();
        assert_eq!(e.detail.as_deref(), Some("odd"));
        assert!(graphql_error(&json!({"errors": [], "data": {}})).is_none());
        assert_eq!(
            scalar(&json!("{\"agentName\":\"x\"}")),
            json!({"agentName": "x"})
        );
        assert_eq!(scalar(&json!("plain")), json!("plain"));
    }
}
