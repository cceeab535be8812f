//! Domain matching between Plesk and the WebTotem account, and the rule
//! that ties the account's e-mail to the Plesk account's.
//!
//! Host names are compared by a key: trimmed, scheme, path and port cut
//! off, trailing dots removed, IDNA-mapped to lower-case ASCII (punycode),
//! and a leading `www.` dropped. So `WWW.Пример.РФ.` in Plesk and
//! `xn--e1afmkfd.xn--p1ai` in the account are the same site.

use serde::{Deserialize, Serialize};

/// The comparison key of a host name, or `None` when it is not a valid
/// domain name (or an IP address literal).
pub fn host_key(name: &str) -> Option<String> {
    let ascii = to_ascii(name)?;
    match ascii.strip_prefix("www.") {
        Some(rest) if rest.contains('.') => Some(rest.to_string()),
        _ => Some(ascii),
    }
}

/// A host name in lower-case ASCII (punycode), with any scheme, path, port
/// and trailing dots removed; `None` when it is not a valid domain name.
pub fn to_ascii(name: &str) -> Option<String> {
    let mut s = name.trim();
    for scheme in ["https://", "http://", "//"] {
        if s.get(..scheme.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(scheme))
        {
            s = &s[scheme.len()..];
            break;
        }
    }
    let s = s.split(['/', '?', '#']).next().unwrap_or("");
    let s = match s.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => s,
    };
    let s = s.trim_end_matches('.');
    if s.is_empty() || s.len() > 253 * 4 {
        return None;
    }
    let ascii = idna::domain_to_ascii_strict(s).ok()?;
    let labels: Vec<&str> = ascii.split('.').collect();
    let valid = ascii.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && !labels
            .last()
            .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()));
    valid.then_some(ascii)
}

/// A host name in Unicode for display; names that do not decode are returned as given.
pub fn to_unicode(name: &str) -> String {
    let (unicode, result) = idna::domain_to_unicode(name);
    if result.is_ok() {
        unicode
    } else {
        name.to_string()
    }
}

/// Whether a site is one of this Plesk server's domains or only in the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// A domain of this Plesk server.
    Local,
    /// A site of the WebTotem account that is not on this server.
    Global,
}

/// A host of the account, as PHP passes it: a host name, or an array with
/// at least `hostname` (and `id`, `title`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum AccountHost {
    /// Only the host name.
    Name(String),
    /// A host as `webtotem_api_hosts()` returns it (other keys are ignored).
    Host {
        /// The host name.
        hostname: String,
        /// The host id.
        #[serde(default)]
        id: Option<i64>,
        /// The title.
        #[serde(default)]
        title: Option<String>,
    },
}

impl AccountHost {
    fn parts(&self) -> (&str, Option<i64>, Option<&str>) {
        match self {
            AccountHost::Name(n) => (n, None, None),
            AccountHost::Host {
                hostname,
                id,
                title,
            } => (hostname, *id, title.as_deref()),
        }
    }
}

/// One site of the merged list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Site {
    /// The host name in lower-case ASCII (punycode), without trailing dots.
    pub hostname: String,
    /// The same in Unicode, for display.
    pub hostname_unicode: String,
    /// `local` (a Plesk domain) or `global` (only in the account).
    pub scope: Scope,
    /// Whether the account has this site.
    pub in_account: bool,
    /// The account's host id when it has the site and the id was given.
    pub host_id: Option<i64>,
    /// The account's title of the site, when given.
    pub title: Option<String>,
    /// The account's spelling of the host name, when it has the site.
    pub account_hostname: Option<String>,
    /// The Plesk domain name as given, for local sites.
    pub plesk_domain: Option<String>,
}

/// The result of [`sync_sites`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sites {
    /// Every Plesk domain (local, in the given order), then every other
    /// account host (global, in the given order); each site once.
    pub sites: Vec<Site>,
    /// The Plesk domains the account does not have yet (ASCII host names),
    /// to add with `addUserHost`.
    pub to_add: Vec<String>,
    /// Inputs that are not valid domain names, as given.
    pub invalid: Vec<String>,
}

/// Merges the Plesk server's domains with the account's hosts: every Plesk
/// domain is **local**, every other account host **global**. Names match
/// by [`host_key`] (IDN, case, trailing dots, `www.`, scheme and path).
pub fn sync_sites(plesk_domains: &[String], account_hosts: &[AccountHost]) -> Sites {
    use std::collections::HashMap;
    let mut account: HashMap<String, usize> = HashMap::new();
    let mut invalid = Vec::new();
    let mut account_keys = Vec::with_capacity(account_hosts.len());
    for (i, host) in account_hosts.iter().enumerate() {
        let (name, _, _) = host.parts();
        match host_key(name) {
            Some(key) => {
                account.entry(key.clone()).or_insert(i);
                account_keys.push(Some(key));
            }
            None => {
                invalid.push(name.to_string());
                account_keys.push(None);
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut sites = Vec::new();
    let mut to_add = Vec::new();
    for domain in plesk_domains {
        let (Some(key), Some(ascii)) = (host_key(domain), to_ascii(domain)) else {
            invalid.push(domain.clone());
            continue;
        };
        if !seen.insert(key.clone()) {
            continue;
        }
        let found = account.get(&key).map(|&i| account_hosts[i].parts());
        if found.is_none() {
            to_add.push(ascii.clone());
        }
        sites.push(Site {
            hostname_unicode: to_unicode(&ascii),
            hostname: ascii,
            scope: Scope::Local,
            in_account: found.is_some(),
            host_id: found.and_then(|f| f.1),
            title: found.and_then(|f| f.2.map(str::to_string)),
            account_hostname: found.map(|f| f.0.to_string()),
            plesk_domain: Some(domain.clone()),
        });
    }
    for (host, key) in account_hosts.iter().zip(account_keys) {
        let Some(key) = key else { continue };
        if !seen.insert(key) {
            continue;
        }
        let (name, id, title) = host.parts();
        let ascii = to_ascii(name).unwrap_or_else(|| name.to_string());
        sites.push(Site {
            hostname_unicode: to_unicode(&ascii),
            hostname: ascii,
            scope: Scope::Global,
            in_account: true,
            host_id: id,
            title: title.map(str::to_string),
            account_hostname: Some(name.to_string()),
            plesk_domain: None,
        });
    }
    Sites {
        sites,
        to_add,
        invalid,
    }
}

/// The domain part of an e-mail address as an ASCII key; `None` when the
/// address has no local part or no valid domain.
fn email_domain(email: &str) -> Option<String> {
    let email = email.trim();
    let (local, domain) = email.rsplit_once('@')?;
    if local.is_empty()
        || domain.contains(char::is_whitespace)
        || local.contains(char::is_whitespace)
    {
        return None;
    }
    let domain = domain.trim_end_matches('.');
    if domain.contains(['/', ':', '?', '#']) {
        return None;
    }
    to_ascii(domain)
}

/// The account rule: `email` may be used for the WebTotem account only when
/// its domain is the domain of `plesk_email`, the Plesk account's e-mail
/// (trimmed, case-insensitive, IDN-aware: `ops@Пример.РФ` and
/// `a@xn--e1afmkfd.xn--p1ai` share a domain). Invalid addresses never pass.
pub fn email_allowed(plesk_email: &str, email: &str) -> bool {
    match (email_domain(plesk_email), email_domain(email)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn keys_fold_case_idn_dots_www_scheme_and_path() {
        for (a, b) in [
            ("Example.COM.", "example.com"),
            ("www.example.com", "example.com"),
            ("https://www.Example.com/wp/", "example.com"),
            ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
            ("WWW.ПРИМЕР.РФ..", "xn--e1afmkfd.xn--p1ai"),
            ("bücher.example:8443", "xn--bcher-kva.example"),
        ] {
            assert_eq!(host_key(a), host_key(b), "{a} vs {b}");
            assert!(host_key(a).is_some(), "{a}");
        }
        for bad in [
            "",
            "   ",
            "localhost",
            "exa mple.com",
            "-a.com",
            "a..com",
            "1.2.3.4",
            "x@y.com",
            ".",
        ] {
            assert_eq!(host_key(bad), None, "{bad:?}");
        }
        assert_eq!(to_unicode("xn--e1afmkfd.xn--p1ai"), "пример.рф");
        assert_eq!(host_key("www.com").as_deref(), Some("www.com"));
    }

    #[test]
    fn every_plesk_domain_is_local_and_other_hosts_global() {
        let plesk = names(&[
            "Example.com",
            "пример.рф",
            "new-site.org.",
            "www.example.com",
            "bad domain",
        ]);
        let account = vec![
            AccountHost::Host {
                hostname: "www.example.com".into(),
                id: Some(7),
                title: Some("Main".into()),
            },
            AccountHost::Name("xn--e1afmkfd.xn--p1ai".into()),
            AccountHost::Host {
                hostname: "remote.net".into(),
                id: Some(9),
                title: None,
            },
            AccountHost::Name("REMOTE.net.".into()),
            AccountHost::Name("not a host".into()),
        ];
        let s = sync_sites(&plesk, &account);
        let summary: Vec<(&str, Scope, bool, Option<i64>)> = s
            .sites
            .iter()
            .map(|x| (x.hostname.as_str(), x.scope, x.in_account, x.host_id))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("example.com", Scope::Local, true, Some(7)),
                ("xn--e1afmkfd.xn--p1ai", Scope::Local, true, None),
                ("new-site.org", Scope::Local, false, None),
                ("remote.net", Scope::Global, true, Some(9)),
            ]
        );
        assert_eq!(s.sites[1].hostname_unicode, "пример.рф");
        assert_eq!(s.sites[0].title.as_deref(), Some("Main"));
        assert_eq!(s.to_add, vec!["new-site.org".to_string()]);
        assert_eq!(
            s.invalid,
            vec!["not a host".to_string(), "bad domain".to_string()]
        );
    }

    #[test]
    fn email_rule() {
        assert!(email_allowed(" Admin@Example.COM ", "ops@example.com."));
        assert!(email_allowed("admin@пример.рф", "x@XN--E1AFMKFD.XN--P1AI"));
        for (a, b) in [
            ("admin@example.com", "ops@example.org"),
            ("admin@example.com", "ops@sub.example.com"),
            ("admin@example.com", "@example.com"),
            ("admin@example.com", "example.com"),
            ("admin@example.com", "a b@example.com"),
            ("", "ops@example.com"),
            ("admin@example.com", "ops@example.com/x"),
        ] {
            assert!(!email_allowed(a, b), "{a} / {b}");
        }
    }
}
