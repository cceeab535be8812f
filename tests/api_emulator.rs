//! The API client against the emulator binary, over real HTTP and HTTPS on
//! 127.0.0.1 (TLS verification on, trusting the CA the emulator generated):
//! every operation, the re-authentication path, every fault, a huge
//! response, a slow server, and the research uploads.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use webtotem::api::client::{Client, Connection, MAX_RESPONSE_BYTES, Registration};
use webtotem::api::model::{Agent, Module};
use webtotem::api::research::{LogChunk, MAX_LOG_CHUNK_BYTES, MAX_SAMPLE_BYTES, SampleUpload};
use webtotem::api::{ApiError, ApiErrorCode};

const KEY: &str = "test-api-key-1";

struct Emu {
    child: Child,
    base: String,
    ca: Option<String>,
    _dir: tempfile::TempDir,
}

impl Emu {
    fn start(tls: bool, extra: &[&str]) -> Emu {
        let dir = tempfile::tempdir().unwrap();
        let ca_path = dir.path().join("ca.pem");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_webtotem-api-emulator"));
        cmd.args([
            "--listen",
            "127.0.0.1:0",
            "--api-key",
            KEY,
            "--max-lifetime-secs",
            "300",
            "--slow-ms",
            "3000",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
        if tls {
            cmd.arg("--tls").arg("--cert-out").arg(&ca_path);
        }
        let mut child = cmd.spawn().expect("start the emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        assert!(base.contains("://127.0.0.1:"), "{base}");
        let ca = tls.then(|| std::fs::read_to_string(&ca_path).unwrap());
        Emu {
            child,
            base,
            ca,
            _dir: dir,
        }
    }

    fn conn(&self) -> Connection {
        Connection {
            endpoint: Some(format!("{}/v1/graphql", self.base)),
            api_key: Some(KEY.into()),
            ca_cert_pem: self.ca.clone(),
            timeout_ms: Some(5_000),
            ..Default::default()
        }
    }

    fn client(&self) -> Client {
        Client::new(self.conn()).unwrap()
    }

    fn raw(&self) -> reqwest::blocking::Client {
        let mut b = reqwest::blocking::Client::builder().no_proxy();
        if let Some(ca) = &self.ca {
            b = b.add_root_certificate(reqwest::Certificate::from_pem(ca.as_bytes()).unwrap());
        }
        b.build().unwrap()
    }

    fn admin(&self, cmd: &str, body: Option<Value>) -> Value {
        let url = format!("{}/__emulator/{cmd}", self.base);
        let req = match body {
            Some(b) => self.raw().post(url).json(&b),
            None => self.raw().get(url),
        };
        let resp = req.send().unwrap();
        assert!(resp.status().is_success(), "{cmd}: {}", resp.status());
        resp.json().unwrap()
    }

    fn fault(&self, name: &str, count: u32) {
        self.admin("fault", Some(json!({"fault": name, "count": count})));
    }

    fn requests(&self) -> u64 {
        self.admin("state", None)["requests"].as_u64().unwrap()
    }
}

impl Drop for Emu {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[track_caller]
fn code(r: Result<impl std::fmt::Debug, ApiError>) -> ApiErrorCode {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.code,
    }
}

#[test]
fn every_operation_over_https() {
    let emu = Emu::start(true, &[]);
    // Registration and e-mail confirmation, under the account rule.
    let mut conn = emu.conn();
    conn.api_key = None;
    conn.plesk_email = Some("admin@Пример.рф".into());
    let mut c = Client::new(conn.clone()).unwrap();
    let reg = Registration {
        email: " New.User@XN--E1AFMKFD.XN--P1AI ".into(),
        name: "New User".into(),
        password: "correct horse".into(),
        timezone: Some(3),
        tz_name: Some("Europe/Moscow".into()),
        source: None,
    };
    let done = c.register(&reg).unwrap();
    assert!(done.registered);
    assert_eq!(done.email, "New.User@XN--E1AFMKFD.XN--P1AI");
    assert_eq!(code(c.register(&reg)), ApiErrorCode::UserAlreadyRegistered);
    assert_eq!(
        code(c.confirm_email("000000x")),
        ApiErrorCode::InvalidVerifyCode
    );
    let state = emu.admin("state", None);
    let user = state["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "New.User@XN--E1AFMKFD.XN--P1AI")
        .unwrap();
    let sent = &user["registration"];
    assert_eq!(
        (
            &sent["source"],
            &sent["tariffName"],
            &sent["tariffCycle"],
            &sent["timezone"],
            &sent["tz_name"]
        ),
        (
            &json!("WORDPRESS"),
            &json!("FREE"),
            &json!("MONTHLY"),
            &json!(3),
            &json!("Europe/Moscow")
        )
    );
    assert!(
        sent.get("password").is_none(),
        "the emulator never shows passwords"
    );
    let confirmed = c
        .confirm_email(user["confirmation_code"].as_str().unwrap())
        .unwrap();
    let new_key = confirmed.api_key.expect("the emulator returns the new key");

    // Sign in with the new key and work with hosts.
    conn.api_key = Some(new_key);
    conn.email = Some("new.user@пример.рф".into());
    let mut c = Client::new(conn).unwrap();
    let token = c.login().unwrap();
    assert!(!token.token.is_empty() && token.expires_in == Some(3600));
    assert_eq!(c.hosts(100, 0, "").unwrap().total, 0);
    let host = c.add_host("WWW.Пример.РФ.", None).unwrap();
    assert_eq!(host.hostname, "www.xn--e1afmkfd.xn--p1ai");
    assert_eq!(host.hostname_unicode, "www.пример.рф");
    assert_eq!(host.title, "www.пример.рф");
    assert_eq!(host.services.len(), 10);
    assert_eq!(
        code(c.add_host("xn--e1afmkfd.xn--p1ai", None)),
        ApiErrorCode::DuplicateHost
    );
    assert_eq!(
        code(c.add_host("not a domain", None)),
        ApiErrorCode::InvalidDomainName
    );
    let second = c.add_host("shop.example.org", Some("Shop")).unwrap();
    let page = c.hosts(1, 1, "").unwrap();
    assert_eq!((page.total, page.hosts.len()), (2, 1));
    assert_eq!(page.hosts[0].title, "Shop");
    assert_eq!(c.hosts(100, 0, "shop").unwrap().total, 1);
    let got = c.host(second.id).unwrap();
    assert_eq!(got.hostname, "shop.example.org");
    assert_eq!(code(c.host(9_999)), ApiErrorCode::ResourceNotFound);

    // Toggles and the idempotent set.
    let waf = got.config_of(Module::Waf).unwrap().clone();
    assert!(waf.is_active);
    assert!(!c.toggle(waf.id, second.id).unwrap());
    assert!(c.toggle(waf.id, second.id).unwrap());
    let off = c.set_module(second.id, Module::Ssl, false).unwrap();
    assert!(off.changed && !off.is_active);
    let again = c.set_module(second.id, Module::Ssl, false).unwrap();
    assert!(!again.changed && !again.is_active);
    assert_eq!(
        code(c.toggle(123_456, second.id)),
        ApiErrorCode::ResourceNotFound
    );

    // Module checks: one request for all nine.
    let before = c.requests();
    let checks = c.host_checks(second.id, 1_700_000_000).unwrap();
    assert_eq!(c.requests() - before, 1);
    let codes: Vec<&str> = checks.modules.iter().map(|m| m.module.code()).collect();
    assert_eq!(
        codes,
        ["wa", "ssl", "dec", "av", "cms", "dc", "ps", "waf", "vc"]
    );
    let ssl = &checks.modules[1];
    assert!(!ssl.is_active && ssl.config_id.is_some());
    assert!(
        ssl.details["expires"].as_i64().unwrap() < 10_000_000_000,
        "seconds, not ms"
    );
    assert_eq!(checks.modules[7].state, "not_installed");

    // Agents: generate, download, verify.
    let agent = c.generate_agent(second.id, Agent::Waf).unwrap();
    assert_eq!(agent.file_name, format!("{}.waf.php", agent.agent_name));
    let php = c.download_agent(&agent.agent_name, Agent::Waf).unwrap();
    assert!(php.starts_with(b"<?php"));
    assert_eq!(
        code(c.download_agent("../../etc/passwd", Agent::Waf)),
        ApiErrorCode::BadAgentName
    );
    assert_eq!(
        code(c.download_agent("nosuchagent", Agent::Vc)),
        ApiErrorCode::HttpError
    );
    let check = c.check_agent(second.id, Agent::Waf).unwrap();
    assert!(check.installed && check.ok);
    assert_eq!(
        code(c.check_agent(second.id, Agent::Waf)),
        ApiErrorCode::AgentNotPending
    );
    assert_eq!(
        code(c.check_agent(second.id, Agent::Vc)),
        ApiErrorCode::AgentNotPending
    );
    let waf_state = c.host_checks(second.id, 1_700_000_000).unwrap().modules[7].state;
    assert!(["ok", "attacks"].contains(&waf_state), "{waf_state}");

    // The dashboard sees both hosts.
    let dash = c.dashboard().unwrap();
    assert_eq!(dash.hosts.len(), 2);
    assert_eq!(dash.hosts[0].hostname_unicode, "www.пример.рф");
    assert_eq!(dash.hosts[0].modules.len(), 9);

    // Another account's host.
    emu.admin(
        "users",
        Some(json!({"email": "other@example.net", "api_key": "other-key"})),
    );
    let mut other = emu.conn();
    other.api_key = Some("other-key".into());
    let mut o = Client::new(other).unwrap();
    assert_eq!(
        code(o.host(second.id)),
        ApiErrorCode::UserhostNotBelongToUser
    );
}

#[test]
fn plain_http_on_loopback_and_the_status_spread() {
    let emu = Emu::start(false, &["--seed-hosts", "12"]);
    assert!(emu.base.starts_with("http://"));
    let mut c = emu.client();
    let hosts = c.all_hosts().unwrap();
    assert_eq!(hosts.len(), 12);
    let mut seen = std::collections::HashSet::new();
    for h in &hosts {
        for m in c.host_checks(h.id, 1_700_000_000).unwrap().modules {
            seen.insert((m.module, m.state));
        }
    }
    for module in [
        Module::Wa,
        Module::Ssl,
        Module::Dec,
        Module::Av,
        Module::Cms,
        Module::Dc,
        Module::Ps,
    ] {
        for (_, label) in module.statuses() {
            assert!(seen.contains(&(module, label)), "{} {label}", module.code());
        }
    }
    // A status forced through the admin endpoint.
    emu.admin(
        "status",
        Some(json!({"host_id": hosts[0].id, "module": "vc", "status": 2})),
    );
    let vc = c.host_checks(hosts[0].id, 1_700_000_000).unwrap().modules[8].clone();
    assert_eq!(vc.state, "signature_found");
    assert_eq!(vc.details["signatures_count"], json!(1));
}

#[test]
fn tls_verification_is_always_on() {
    let emu = Emu::start(true, &[]);
    let mut conn = emu.conn();
    conn.ca_cert_pem = None;
    assert_eq!(
        code(Client::new(conn.clone()).unwrap().login()),
        ApiErrorCode::TlsError
    );
    // Another emulator's CA is not this one's.
    let other = Emu::start(true, &[]);
    conn.ca_cert_pem = other.ca.clone();
    assert_eq!(
        code(Client::new(conn.clone()).unwrap().login()),
        ApiErrorCode::TlsError
    );
    // Plain HTTP to the TLS port is not silently accepted either.
    conn.endpoint = Some(format!(
        "{}/v1/graphql",
        emu.base.replace("https://", "http://")
    ));
    conn.ca_cert_pem = emu.ca.clone();
    assert!(Client::new(conn).unwrap().login().is_err());
}

#[test]
fn renews_a_refused_token_once_then_fails_clearly() {
    let emu = Emu::start(false, &["--seed-hosts", "1"]);
    let mut c = emu.client();
    let first = c.login().unwrap().token;
    emu.fault("expired-token", 1);
    let before = c.requests();
    assert_eq!(c.hosts(10, 0, "").unwrap().total, 1);
    assert_eq!(c.requests() - before, 3, "refused, sign-in, retry");
    assert_ne!(c.token(), Some(first.as_str()));

    emu.fault("expired-token", 2);
    let err = c.hosts(10, 0, "").unwrap_err();
    assert_eq!(err.code, ApiErrorCode::InvalidToken);
    assert!(err.message().contains("refused again"), "{}", err.message());

    // A token alone cannot be renewed.
    let mut conn = emu.conn();
    conn.api_key = None;
    conn.token = Some("stale".into());
    let err = Client::new(conn.clone())
        .unwrap()
        .hosts(10, 0, "")
        .unwrap_err();
    assert_eq!(err.code, ApiErrorCode::InvalidToken);
    conn.token = None;
    assert_eq!(
        code(Client::new(conn).unwrap().hosts(10, 0, "")),
        ApiErrorCode::NotAuthenticated
    );

    // A stale token with a key: renewed transparently.
    let mut conn = emu.conn();
    conn.token = Some("stale".into());
    let mut c = Client::new(conn).unwrap();
    assert_eq!(c.hosts(10, 0, "").unwrap().total, 1);
    assert_eq!(c.requests(), 3);
}

#[test]
fn every_fault_is_a_typed_error() {
    let emu = Emu::start(true, &["--seed-hosts", "1", "--hosts-limit", "3"]);
    let mut c = emu.client();
    c.login().unwrap();

    emu.fault("invalid-key", 1);
    assert_eq!(code(emu.client().login()), ApiErrorCode::InvalidApiKey);
    let mut bad = emu.conn();
    bad.api_key = Some("wrong".into());
    assert_eq!(
        code(Client::new(bad).unwrap().hosts(1, 0, "")),
        ApiErrorCode::InvalidApiKey
    );

    emu.fault("hosts-limit", 1);
    assert_eq!(
        code(c.add_host("a.example", None)),
        ApiErrorCode::HostsLimitExceeded
    );
    emu.fault("duplicate-host", 1);
    assert_eq!(
        code(c.add_host("a.example", None)),
        ApiErrorCode::DuplicateHost
    );
    c.add_host("a.example", None).unwrap();
    c.add_host("b.example", None).unwrap();
    assert_eq!(
        code(c.add_host("c.example", None)),
        ApiErrorCode::HostsLimitExceeded,
        "the real limit"
    );

    // HTTP 500: reads are retried, writes are not.
    emu.fault("http-500", 1);
    let before = c.requests();
    assert_eq!(c.hosts(10, 0, "").unwrap().total, 3);
    assert_eq!(c.requests() - before, 2);
    emu.fault("http-500", 5);
    let started = Instant::now();
    assert_eq!(code(c.hosts(10, 0, "")), ApiErrorCode::HttpError);
    assert!(started.elapsed() < Duration::from_secs(3));
    emu.admin("reset", Some(json!({})));
    emu.fault("http-500", 1);
    assert_eq!(code(c.add_host("d.example", None)), ApiErrorCode::HttpError);
    assert_eq!(emu.requests(), 1, "a write is sent once");

    emu.fault("truncated", 3);
    assert_eq!(code(c.hosts(10, 0, "")), ApiErrorCode::BadResponse);
    emu.admin("reset", Some(json!({})));
    emu.fault("huge", 1);
    let err = c.hosts(10, 0, "").unwrap_err();
    assert_eq!(err.code, ApiErrorCode::ResponseTooLarge, "{err}");
    assert!(err.message().contains(&MAX_RESPONSE_BYTES.to_string()));

    emu.fault("bad-agent-name", 1);
    let host = c.all_hosts().unwrap()[0].id;
    assert_eq!(
        code(c.generate_agent(host, Agent::Vc)),
        ApiErrorCode::BadAgentName
    );
    let agent = c.generate_agent(host, Agent::Vc).unwrap();
    emu.fault("not-php", 1);
    assert_eq!(
        code(c.download_agent(&agent.agent_name, Agent::Vc)),
        ApiErrorCode::BadResponse
    );
    emu.fault("locked", 1);
    let locked = c.check_agent(host, Agent::Vc).unwrap();
    assert!(!locked.ok && !locked.installed && locked.lock_for == json!(300));
    assert!(c.check_agent(host, Agent::Vc).unwrap().ok);

    // Faults by header, as curl would send them.
    let resp = emu
        .raw()
        .post(format!("{}/v1/graphql", emu.base))
        .header("X-Emulator-Fault", "invalid-key")
        .json(&json!({"query": webtotem::api::graphql::AUTH, "variables": {"apiKey": KEY}}))
        .send()
        .unwrap();
    let body: Value = resp.json().unwrap();
    assert_eq!(body["errors"][0]["message"], "INVALID_API_KEY");
}

#[test]
fn a_slow_server_times_out() {
    let emu = Emu::start(false, &[]);
    let mut conn = emu.conn();
    conn.timeout_ms = Some(400);
    let mut c = Client::new(conn).unwrap();
    emu.fault("slow", 1);
    let started = Instant::now();
    assert_eq!(code(c.login()), ApiErrorCode::Timeout);
    assert!(
        started.elapsed() < Duration::from_millis(2_000),
        "{:?}",
        started.elapsed()
    );
    // The server is fine again afterwards.
    emu.client().login().unwrap();
}

#[test]
fn a_closed_port_is_a_connection_failure() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let conn = Connection {
        endpoint: Some(format!("http://127.0.0.1:{port}/v1/graphql")),
        api_key: Some(KEY.into()),
        ..Default::default()
    };
    let started = Instant::now();
    assert_eq!(
        code(Client::new(conn).unwrap().login()),
        ApiErrorCode::ConnectionFailed
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn the_account_rule_refuses_other_emails() {
    let emu = Emu::start(false, &[]);
    let mut conn = emu.conn();
    conn.plesk_email = Some("admin@example.com".into());
    conn.email = Some("me@evil.example".into());
    assert_eq!(
        code(Client::new(conn.clone()).unwrap().login()),
        ApiErrorCode::EmailNotAllowed
    );
    assert_eq!(emu.requests(), 0, "refused before any request");
    let reg = Registration {
        email: "me@example.org".into(),
        name: "x".into(),
        password: "secret-password".into(),
        timezone: None,
        tz_name: None,
        source: None,
    };
    assert_eq!(
        code(Client::new(conn.clone()).unwrap().register(&reg)),
        ApiErrorCode::EmailNotAllowed
    );
    conn.plesk_email = None;
    assert_eq!(
        code(Client::new(conn).unwrap().register(&reg)),
        ApiErrorCode::EmailNotAllowed
    );
}

#[test]
fn the_dashboard_costs_a_bounded_number_of_requests() {
    let emu = Emu::start(false, &["--seed-hosts", "250", "--hosts-limit", "1000"]);
    let mut c = emu.client();
    let dash = c.dashboard().unwrap();
    assert_eq!(dash.hosts.len(), 250);
    // 1 sign-in + 3 pages of hosts + 3 pages of the nine module lists.
    assert_eq!(dash.requests, 7);
    assert_eq!(emu.requests(), 7);
    assert!(dash.hosts.iter().all(|h| h.modules.len() == 9));
    let states: std::collections::HashSet<&str> = dash.hosts.iter().map(|h| h.summary).collect();
    assert!(
        states.contains("danger") && states.contains("warning"),
        "{states:?}"
    );
}

// ---- Research uploads (the assumed contract of webtotem::api::research). ----

fn sample_of(data: &[u8]) -> SampleUpload {
    SampleUpload {
        path: "wp-content/uploads/shell.php".into(),
        sha256: webtotem::malware::scan::sha256_hex(data),
        size: None,
        truncated: None,
        category: webtotem::malware::Category::Shell,
        rules: vec!["php.shell.system".into(), "php.eval.request".into()],
        data: webtotem::wire::Bytes(data.to_vec()),
    }
}

fn invalid(r: Result<impl std::fmt::Debug, webtotem::Error>) -> String {
    match r {
        Err(webtotem::Error::InvalidArgument(m)) => m,
        other => panic!("expected an invalid argument, got {other:?}"),
    }
}

fn api_code(r: Result<impl std::fmt::Debug, webtotem::Error>) -> ApiErrorCode {
    match r {
        Err(webtotem::Error::Api { code, .. }) => code,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[test]
fn samples_are_stored_once_byte_for_byte_and_capped_before_sending() {
    let emu = Emu::start(true, &["--seed-hosts", "1"]);
    let mut c = emu.client();
    // A cut sample at the scanner's cap: the file's hash, not the data's.
    let file: Vec<u8> = (0..MAX_SAMPLE_BYTES + 1000)
        .map(|i| (i % 251) as u8)
        .collect();
    let mut big = sample_of(&file[..MAX_SAMPLE_BYTES]);
    big.sha256 = webtotem::malware::scan::sha256_hex(&file);
    big.size = Some(file.len() as u64);
    let first = c.upload_sample(1, &big).unwrap();
    assert!(!first.duplicate);
    assert_eq!(first.bytes, MAX_SAMPLE_BYTES as u64);
    assert_eq!(first.sha256, big.sha256);
    let again = c.upload_sample(1, &big).unwrap();
    assert!(again.duplicate, "the same sha256 again is a no-op");
    assert_eq!(again.id, first.id);

    let kept = emu.admin("research", None);
    let samples = kept["samples"].as_array().unwrap();
    assert_eq!(samples.len(), 1);
    let s = &samples[0];
    assert_eq!(s["truncated"], true);
    assert_eq!(s["size"], file.len() as u64);
    assert_eq!(s["category"], "shell");
    assert_eq!(
        s["rule_ids"],
        json!(["php.shell.system", "php.eval.request"])
    );
    assert_eq!(s["duplicates"], 1);
    use base64::Engine as _;
    let stored = base64::engine::general_purpose::STANDARD
        .decode(s["data_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(stored, &file[..MAX_SAMPLE_BYTES]);

    // Over the cap, or inconsistent: refused before any request.
    let before = emu.requests();
    let over = sample_of(&file[..MAX_SAMPLE_BYTES + 1]);
    assert!(invalid(c.upload_sample(1, &over)).contains("at most 262144"));
    let mut lying = sample_of(b"<?php eval($_POST['x']);");
    lying.sha256 = "ab".repeat(32);
    invalid(c.upload_sample(1, &lying));
    assert_eq!(emu.requests(), before, "nothing was sent");

    // Another account's host, and server errors, are API errors.
    assert_eq!(
        api_code(c.upload_sample(999, &sample_of(b"x"))),
        ApiErrorCode::ResourceNotFound
    );
    emu.fault("http-500", 3);
    assert_eq!(
        api_code(c.upload_sample(1, &sample_of(b"y"))),
        ApiErrorCode::HttpError
    );
    emu.fault("http-500", 1);
    assert!(
        !c.upload_sample(1, &sample_of(b"z")).unwrap().duplicate,
        "an upload is idempotent, so it is retried"
    );
}

#[test]
fn firewall_log_chunks_are_idempotent_by_range() {
    let emu = Emu::start(false, &["--seed-hosts", "1"]);
    let mut c = emu.client();
    let lines = b"{\"ts\":1,\"ip\":\"192.0.2.7\",\"rule\":\"sqli\"}\n{\"ts\":2,\"ip\":\"192.0.2.8\",\"rule\":\"xss\"}\n";
    let chunk = |offset: u64, data: &[u8]| LogChunk {
        log_id: "waf-2026-11-24.jsonl".into(),
        offset,
        data: webtotem::wire::Bytes(data.to_vec()),
    };
    let r = c.upload_firewall_log(1, &chunk(4096, lines)).unwrap();
    assert_eq!(
        (r.offset_from, r.offset_to, r.events, r.duplicate),
        (4096, 4096 + lines.len() as u64, 2, false)
    );
    let again = c.upload_firewall_log(1, &chunk(4096, lines)).unwrap();
    assert!(again.duplicate && again.events == 0);
    let next = c
        .upload_firewall_log(1, &chunk(r.offset_to, b"{\"ts\":3}\n"))
        .unwrap();
    assert_eq!(next.events, 1);
    assert_eq!(
        api_code(c.upload_firewall_log(1, &chunk(4100, b"{\"ts\":9}\n"))),
        ApiErrorCode::LogRangeConflict
    );
    let kept = emu.admin("research", None);
    let logs = kept["logs"].as_array().unwrap();
    assert_eq!(logs.len(), 2);
    assert_eq!(logs[0]["events"][1]["rule"], "xss");
    assert_eq!(logs[1]["offset_from"], r.offset_to);

    let before = emu.requests();
    invalid(c.upload_firewall_log(1, &chunk(0, b"{\"ts\":1}")));
    invalid(c.upload_firewall_log(1, &chunk(0, b"not json\n")));
    invalid(c.upload_firewall_log(1, &chunk(0, &vec![b'\n'; MAX_LOG_CHUNK_BYTES + 1])));
    assert_eq!(emu.requests(), before);
}

#[test]
fn an_upload_renews_an_expired_token_and_the_client_keeps_it() {
    let emu = Emu::start(false, &["--seed-hosts", "1"]);
    let mut c = emu.client();
    let old = c.login().unwrap().token;
    emu.fault("expired-token", 1);
    c.upload_sample(1, &sample_of(b"<?php system($_GET[1]);"))
        .unwrap();
    let renewed = c.token().unwrap().to_string();
    assert_ne!(renewed, old);
    assert_eq!(c.connection().token.as_deref(), Some(renewed.as_str()));
    let mut conn = emu.conn();
    conn.token = Some(renewed);
    let auths = |emu: &Emu| {
        emu.admin("state", None)["operations"]["Auth"]
            .as_u64()
            .unwrap()
    };
    let before = auths(&emu);
    Client::new(conn).unwrap().host(1).unwrap();
    assert_eq!(
        auths(&emu),
        before,
        "the renewed token works without a sign-in"
    );
}
