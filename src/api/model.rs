//! The data the G1 API returns, as the client hands it on: hosts with their
//! services, module checks with a status label, agents. Field names in the
//! API are camelCase; the keys PHP sees are snake_case and stable.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The monitoring modules of G1, in the UI's fixed order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Module {
    /// Availability (uptime, response time).
    Wa,
    /// The TLS certificate.
    Ssl,
    /// Domain registration expiry.
    Dec,
    /// Reputation: blacklists (named `av` in G1).
    Av,
    /// Malicious scripts (miners) in pages.
    Cms,
    /// Deface.
    Dc,
    /// Open ports.
    Ps,
    /// The firewall agent.
    Waf,
    /// The antivirus agent (named `vc` in G1).
    Vc,
}

/// How a module-specific field of a check is handed on.
#[derive(Clone, Copy, Debug)]
enum Field {
    /// As the API sent it.
    Raw,
    /// A timestamp in milliseconds, handed on in Unix seconds.
    Millis,
}

impl Module {
    /// Every module, in the UI's order.
    pub const ALL: [Module; 9] = [
        Module::Wa,
        Module::Ssl,
        Module::Dec,
        Module::Av,
        Module::Cms,
        Module::Dc,
        Module::Ps,
        Module::Waf,
        Module::Vc,
    ];

    /// The G1 code, e.g. `wa`.
    pub fn code(self) -> &'static str {
        match self {
            Module::Wa => "wa",
            Module::Ssl => "ssl",
            Module::Dec => "dec",
            Module::Av => "av",
            Module::Cms => "cms",
            Module::Dc => "dc",
            Module::Ps => "ps",
            Module::Waf => "waf",
            Module::Vc => "vc",
        }
    }

    /// The module for a G1 code (any case).
    pub fn from_code(code: &str) -> Option<Module> {
        Module::ALL
            .into_iter()
            .find(|m| m.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The GraphQL field of the module's checks, e.g. `waServiceChecks`.
    pub fn checks_field(self) -> &'static str {
        match self {
            Module::Wa => "waServiceChecks",
            Module::Ssl => "sslServiceChecks",
            Module::Dec => "decServiceChecks",
            Module::Av => "avServiceChecks",
            Module::Cms => "cmsServiceChecks",
            Module::Dc => "dcServiceChecks",
            Module::Ps => "psServiceChecks",
            Module::Waf => "wafServiceChecks",
            Module::Vc => "vcServiceChecks",
        }
    }

    /// The module's name for people, in English.
    pub fn title(self) -> &'static str {
        match self {
            Module::Wa => "Availability",
            Module::Ssl => "SSL certificate",
            Module::Dec => "Domain",
            Module::Av => "Reputation",
            Module::Cms => "Malicious scripts",
            Module::Dc => "Deface",
            Module::Ps => "Ports",
            Module::Waf => "Firewall",
            Module::Vc => "Antivirus",
        }
    }

    /// The module-specific fields the client reads (API name, key for PHP, kind).
    fn fields(self) -> &'static [(&'static str, &'static str, Field)] {
        use Field::*;
        match self {
            Module::Wa => &[
                ("isDown", "is_down", Raw),
                ("average", "average", Raw),
                ("responseTime", "response_time", Raw),
                ("testsResults", "tests_results", Raw),
            ],
            Module::Ssl => &[
                ("issued", "issued", Millis),
                ("expires", "expires", Millis),
                ("daysLeft", "days_left", Raw),
                ("tls", "tls", Raw),
            ],
            Module::Dec => &[
                ("email", "email", Raw),
                ("daysLeft", "days_left", Raw),
                ("created", "created", Millis),
                ("expires", "expires", Millis),
                ("registrar", "registrar", Raw),
                ("owner", "owner", Raw),
            ],
            Module::Av | Module::Cms => &[
                ("lastTestId", "last_test_id", Raw),
                ("lastTestTime", "last_test_time", Millis),
                ("count", "count", Raw),
                ("list", "list", Raw),
            ],
            Module::Dc => &[
                ("lastTestTime", "last_test_time", Millis),
                ("count", "count", Raw),
                ("list", "list", Raw),
            ],
            Module::Ps => &[
                ("ip", "ip", Raw),
                ("lastTestId", "last_test_id", Raw),
                ("lastTestTime", "last_test_time", Millis),
                ("count", "count", Raw),
                ("openTCPs", "open_tcp", Raw),
                ("openUDPs", "open_udp", Raw),
            ],
            Module::Waf => &[
                ("lastTestTime", "last_test_time", Millis),
                ("count", "count", Raw),
                ("countIP", "count_ip", Raw),
                ("chart", "chart", Raw),
            ],
            Module::Vc => &[
                ("list", "list", Raw),
                ("fileChangesCount", "file_changes_count", Raw),
                ("errorsCount", "errors_count", Raw),
                ("signaturesCount", "signatures_count", Raw),
            ],
        }
    }

    /// Every numeric status the module may report, with its label: the
    /// codes common to all modules and the module's own.
    pub fn statuses(self) -> &'static [(i64, &'static str)] {
        match self {
            Module::Wa => &[(-200, "pending"), (-1, "error"), (0, "ok"), (1, "down")],
            Module::Ssl => &[
                (-200, "pending"),
                (-1, "error"),
                (0, "ok"),
                (1, "invalid"),
                (2, "expired"),
                (3, "expires_soon"),
                (4, "expires_today"),
            ],
            Module::Dec => &[
                (-200, "pending"),
                (-3, "not_registered"),
                (-2, "unsupported"),
                (-1, "error"),
                (0, "ok"),
                (1, "expires_soon"),
                (2, "expired"),
                (3, "expires_today"),
            ],
            Module::Av => &[
                (-200, "pending"),
                (-1, "error"),
                (0, "ok"),
                (1, "blacklisted"),
            ],
            Module::Cms => &[(-200, "pending"), (-1, "error"), (0, "ok"), (1, "infected")],
            Module::Dc => &[
                (-200, "pending"),
                (-1, "error"),
                (0, "ok"),
                (1, "deface"),
                (2, "modified"),
            ],
            Module::Ps => &[
                (-200, "pending"),
                (-1, "error"),
                (0, "ok"),
                (1, "open_ports"),
            ],
            Module::Waf => &[
                (-400, "blocked"),
                (-300, "not_installed"),
                (-200, "pending"),
                (-1, "error"),
                (0, "ok"),
                (1, "attacks"),
            ],
            Module::Vc => &[
                (-400, "blocked"),
                (-300, "not_installed"),
                (-200, "pending"),
                (-1, "error"),
                (0, "ok"),
                (1, "file_changes"),
                (2, "signature_found"),
            ],
        }
    }

    /// The label of a status code; SSL's unknown codes are `missing`
    /// (as the G1 UI shows them), any other unknown code `unknown`.
    pub fn status_label(self, status: i64) -> &'static str {
        self.statuses()
            .iter()
            .find(|(code, _)| *code == status)
            .map(|(_, label)| *label)
            .unwrap_or(if self == Module::Ssl {
                "missing"
            } else {
                "unknown"
            })
    }
}

/// The agents G1 installs into a site (the `service` enum of `generateAgent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Agent {
    /// The firewall agent, `<name>.waf.php`.
    Waf,
    /// The antivirus agent, `<name>.vc.php`.
    Vc,
}

impl Agent {
    /// `waf` or `vc`.
    pub fn code(self) -> &'static str {
        match self {
            Agent::Waf => "waf",
            Agent::Vc => "vc",
        }
    }

    /// The agent for `waf`/`vc` (any case).
    pub fn from_code(code: &str) -> Option<Agent> {
        match code.trim().to_ascii_lowercase().as_str() {
            "waf" => Some(Agent::Waf),
            "vc" => Some(Agent::Vc),
            _ => None,
        }
    }

    /// The module that reports on this agent.
    pub fn module(self) -> Module {
        match self {
            Agent::Waf => Module::Waf,
            Agent::Vc => Module::Vc,
        }
    }
}

/// An id that the API may send as a number or as a string of digits.
pub fn de_id<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| de::Error::custom("the id is not an integer")),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| de::Error::custom(format!("the id {s:?} is not an integer"))),
        other => Err(de::Error::custom(format!(
            "the id {other} is not an integer"
        ))),
    }
}

fn de_opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => de_id(v).map(Some).map_err(de::Error::custom),
    }
}

/// A timestamp the API may send as milliseconds (number or digits) or as
/// text; numbers are handed on in Unix seconds, anything else as it is.
fn de_millis<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    Ok(millis_to_secs(Value::deserialize(d)?))
}

/// Milliseconds → seconds for numbers and digit strings; other values unchanged.
pub fn millis_to_secs(v: Value) -> Value {
    match &v {
        Value::Number(n) => n.as_i64().map(|ms| Value::from(ms / 1000)).unwrap_or(v),
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .map(|ms| Value::from(ms / 1000))
            .unwrap_or(v),
        _ => v,
    }
}

fn de_null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// One configuration of a service (its `id` is what `toggleServiceConfig` takes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceConfig {
    /// The configuration id.
    #[serde(deserialize_with = "de_id")]
    pub id: i64,
    /// The configuration data (a JSON scalar in G1).
    #[serde(default)]
    pub data: Value,
    /// Whether the module runs.
    #[serde(rename(deserialize = "isActive"), default)]
    pub is_active: bool,
}

/// A service (module) of a host with its configurations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// The service id (the API's, not hard-coded).
    #[serde(deserialize_with = "de_id")]
    pub id: i64,
    /// The service name, a module code such as `wa` or `waf`.
    #[serde(default, deserialize_with = "de_null_default")]
    pub name: String,
    /// Its configurations; the first is the one the UI toggles.
    #[serde(default, deserialize_with = "de_null_default")]
    pub configs: Vec<ServiceConfig>,
}

/// A site in the WebTotem account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Host {
    /// The host id.
    #[serde(deserialize_with = "de_id")]
    pub id: i64,
    /// The title.
    #[serde(default, deserialize_with = "de_null_default")]
    pub title: String,
    /// The host name as the API stores it (ASCII/punycode).
    #[serde(default, deserialize_with = "de_null_default")]
    pub hostname: String,
    /// The host name in Unicode (filled in by the client).
    #[serde(default, skip_deserializing)]
    pub hostname_unicode: String,
    /// The detected technology stack.
    #[serde(default)]
    pub stack: Value,
    /// When it was added, in Unix seconds (the API sends milliseconds).
    #[serde(
        rename(deserialize = "createdAt"),
        default,
        deserialize_with = "de_millis"
    )]
    pub created_at: Value,
    /// Its services, each with its configurations.
    #[serde(default, deserialize_with = "de_null_default")]
    pub services: Vec<Service>,
}

impl Host {
    /// Fills in [`Host::hostname_unicode`].
    pub fn with_unicode(mut self) -> Self {
        self.hostname_unicode = crate::api::sites::to_unicode(&self.hostname);
        self
    }

    /// The first configuration of the service named `module`, found by the
    /// API's own id↔name pairs.
    pub fn config_of(&self, module: Module) -> Option<&ServiceConfig> {
        self.services
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(module.code()))
            .and_then(|s| s.configs.first())
    }
}

/// A page of hosts and the count of all that match.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostPage {
    /// The hosts of this page.
    pub hosts: Vec<Host>,
    /// How many hosts match the filter in all.
    pub total: i64,
}

/// The `{id isActive}` of a check's configuration.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
struct CheckConfig {
    #[serde(default, deserialize_with = "de_opt_id")]
    id: Option<i64>,
    #[serde(rename = "isActive", default)]
    is_active: bool,
    #[serde(default)]
    userhost: Option<CheckHost>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
struct CheckHost {
    #[serde(deserialize_with = "de_id")]
    id: i64,
    #[serde(default, deserialize_with = "de_null_default")]
    hostname: String,
}

/// The result of one module's check for one host.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModuleCheck {
    /// The module code, e.g. `ssl`.
    pub module: Module,
    /// The module's name for people (English).
    pub title: &'static str,
    /// The numeric status as the API sent it (null when it sent none).
    pub status: Option<i64>,
    /// The status label: `ok`, `pending`, `error` or a module's own (see the README).
    pub state: &'static str,
    /// The id of the configuration to toggle.
    pub config_id: Option<i64>,
    /// Whether the module runs.
    pub is_active: bool,
    /// The module's own fields (snake_case keys, timestamps in Unix seconds).
    pub details: Map<String, Value>,
}

impl ModuleCheck {
    /// Reads one entry of `<module>ServiceChecks`; an absent entry (the
    /// host has no check yet) is `pending` with no config.
    pub fn from_api(module: Module, entry: Option<&Value>) -> Result<ModuleCheck, String> {
        let empty = Map::new();
        let obj = match entry {
            None | Some(Value::Null) => &empty,
            Some(Value::Object(o)) => o,
            Some(other) => return Err(format!("{}: not an object: {other}", module.code())),
        };
        let config: CheckConfig = match obj.get("config") {
            None | Some(Value::Null) => CheckConfig::default(),
            Some(v) => serde_json::from_value(v.clone())
                .map_err(|e| format!("{}.config: {e}", module.code()))?,
        };
        let status = match obj.get("status") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_i64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
                    .ok_or_else(|| format!("{}.status is not an integer: {v}", module.code()))?,
            ),
        };
        let mut details = Map::new();
        for (api, key, kind) in module.fields() {
            let v = obj.get(*api).cloned().unwrap_or(Value::Null);
            let v = match kind {
                Field::Raw => v,
                Field::Millis => millis_to_secs(v),
            };
            details.insert((*key).to_string(), v);
        }
        Ok(ModuleCheck {
            module,
            title: module.title(),
            status,
            state: match status {
                Some(s) => module.status_label(s),
                None => "pending",
            },
            config_id: config.id,
            is_active: config.is_active,
            details,
        })
    }
}

/// Every module check of one host.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostChecks {
    /// The host id.
    pub host_id: i64,
    /// One check per module, in the UI's order.
    pub modules: Vec<ModuleCheck>,
}

/// One module's status for one host, in the overview.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModuleStatus {
    /// The numeric status (null when the API sent none).
    pub status: Option<i64>,
    /// Its label.
    pub state: &'static str,
    /// The configuration id.
    pub config_id: Option<i64>,
    /// Whether the module runs.
    pub is_active: bool,
}

/// One host of the overview with the status of each module.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HostOverview {
    /// The host id.
    pub host_id: i64,
    /// The host name as the API stores it.
    pub hostname: String,
    /// The host name in Unicode.
    pub hostname_unicode: String,
    /// The worst state across the modules: `ok`, `warning`, `danger` or `pending`.
    pub summary: &'static str,
    /// Module code → status.
    pub modules: std::collections::BTreeMap<&'static str, ModuleStatus>,
}

/// Reads one entry of an overview list: the host it belongs to and its status.
pub fn overview_entry(
    module: Module,
    entry: &Value,
) -> Result<(i64, String, ModuleStatus), String> {
    let check = ModuleCheck::from_api(module, Some(entry))?;
    let config: CheckConfig =
        serde_json::from_value(entry.get("config").cloned().unwrap_or_default())
            .map_err(|e| format!("{}.config: {e}", module.code()))?;
    let host = config
        .userhost
        .ok_or_else(|| format!("{}: an entry names no userhost", module.code()))?;
    Ok((
        host.id,
        host.hostname,
        ModuleStatus {
            status: check.status,
            state: check.state,
            config_id: check.config_id,
            is_active: check.is_active,
        },
    ))
}

/// How bad a state is: 0 fine, 1 pending, 2 warning, 3 danger.
pub fn severity(state: &str) -> u8 {
    match state {
        "ok" => 0,
        "pending" | "not_installed" | "unknown" => 1,
        "down" | "expired" | "invalid" | "expires_today" | "blacklisted" | "infected"
        | "deface" | "signature_found" | "attacks" => 3,
        _ => 2,
    }
}

/// The summary label of a set of module states.
pub fn summary<'a>(states: impl IntoIterator<Item = &'a str>) -> &'static str {
    match states.into_iter().map(severity).max().unwrap_or(1) {
        0 => "ok",
        1 => "pending",
        2 => "warning",
        _ => "danger",
    }
}

/// The G1 default service configurations sent with `addUserHost`, by the
/// service ids the G1 client sent, in its order.
pub fn default_services() -> Value {
    serde_json::json!([
        {"id": 1, "configs": [{"scheme": "http", "port": 80, "check_interval": 1, "responsetime_threshold": 30, "path": "/", "http_errors": [400, 401, 402, 403, 404, 500, 501, 502, 503], "alert_after": 0}]},
        {"id": 2, "configs": [{"check_interval": 5, "notify_expiry_day": true, "notify_expiry_week": true, "notify_expiry_month": true, "port": 443}]},
        {"id": 4, "configs": [{"check_interval": 5, "path": "/", "scheme": "http", "port": 80}]},
        {"id": 5, "configs": [{"check_interval": 5, "path": "/", "scheme": "http", "port": 80}]},
        {"id": 6, "configs": [{"check_interval": 5, "path": "/", "scheme": "http", "port": 80}]},
        {"id": 7, "configs": [{"check_interval": 5, "ports_udp": [18, 19, 53, 27, 29, 31, 71, 74], "ports_tcp": [21, 22, 25, 3306, 5432, 80, 443, 88, 8000, 8080]}]},
        {"id": 9, "configs": [{"scheme": "http", "port": 80, "path": "/"}]},
        {"id": 8, "configs": [{"check_interval": 30, "scheme": "http", "port": 80, "path": "/"}]},
        {"id": 3, "configs": [{"check_interval": 60, "notify_expiry_day": true, "notify_expiry_week": true, "notify_expiry_month": true}]},
        {"id": 10, "configs": [{"check_interval": 30, "path": "/", "scheme": "http", "port": 80}]}
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_host_with_string_ids_and_millis() {
        let h: Host = serde_json::from_value(json!({
            "id": "12", "title": null, "hostname": "xn--e1afmkfd.xn--p1ai", "stack": ["nginx"],
            "createdAt": 1700000000123i64,
            "services": [{"id": 8, "name": "waf", "configs": [{"id": "55", "data": "{}", "isActive": true}]}]
        }))
        .unwrap();
        let h = h.with_unicode();
        assert_eq!((h.id, h.title.as_str()), (12, ""));
        assert_eq!(h.hostname_unicode, "пример.рф");
        assert_eq!(h.created_at, json!(1700000000));
        assert_eq!(h.config_of(Module::Waf).unwrap().id, 55);
        assert!(h.config_of(Module::Vc).is_none());
    }

    #[test]
    fn labels_every_status_and_converts_fields() {
        let c = ModuleCheck::from_api(
            Module::Ssl,
            Some(&json!({"config": {"id": 3, "isActive": true}, "status": 3, "issued": 1600000000000i64, "expires": "1700000000000", "daysLeft": 9, "tls": "TLSv1.3"})),
        )
        .unwrap();
        assert_eq!(
            (c.state, c.config_id, c.is_active),
            ("expires_soon", Some(3), true)
        );
        assert_eq!(c.details["issued"], json!(1600000000));
        assert_eq!(c.details["expires"], json!(1700000000));
        assert_eq!(Module::Ssl.status_label(9), "missing");
        assert_eq!(Module::Wa.status_label(9), "unknown");
        let pending = ModuleCheck::from_api(Module::Vc, None).unwrap();
        assert_eq!((pending.state, pending.status), ("pending", None));
        assert!(ModuleCheck::from_api(Module::Wa, Some(&json!({"status": "x"}))).is_err());
        assert!(ModuleCheck::from_api(Module::Wa, Some(&json!([1]))).is_err());
        for m in Module::ALL {
            assert_eq!(Module::from_code(m.code()), Some(m));
            assert!(m.statuses().iter().any(|(c, l)| *c == 0 && *l == "ok"));
        }
        assert_eq!(summary(["ok", "expires_soon"]), "warning");
        assert_eq!(summary(["ok", "down"]), "danger");
        assert_eq!(summary(["ok", "ok"]), "ok");
    }
}
