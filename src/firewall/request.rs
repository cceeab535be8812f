//! A request as the firewall sees it, and the inputs it inspects.
//!
//! A [`Request`] comes from PHP's own view of a request (the array the
//! agent builds from `$_SERVER`, `$_GET`, `$_POST`, `$_COOKIE`, `$_FILES`
//! and `php://input`) or from raw HTTP ([`super::http`]). [`Request::inputs`]
//! turns it into the flat list of named values that rules read, each
//! tagged with the part of the request it came from ([`Target`]). The body
//! is read according to its content type: form fields, JSON (keys and
//! string values), multipart fields and file names, or raw bytes.
//!
//! Limits, the same in the PHP agent: a value is inspected up to
//! [`MAX_VALUE_BYTES`], a body up to [`MAX_BODY_BYTES`], and at most
//! [`MAX_INPUTS`] inputs; what is left out sets [`Inputs::truncated`].

use crate::error::{Error, Result};
use crate::wire::Tree;
use std::borrow::Cow;

/// The most bytes of one value that rules read.
pub const MAX_VALUE_BYTES: usize = 64 * 1024;
/// The most bytes of a body that are parsed or read.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The most inputs (values and names) taken from one request.
pub const MAX_INPUTS: usize = 4096;
/// The deepest JSON body that is read as fields (deeper: as raw bytes).
pub const MAX_JSON_DEPTH: usize = 64;

/// The part of a request an input comes from; rules name the parts they read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// The request method.
    Method,
    /// The path, percent-decoded once.
    Path,
    /// The request URI as received (path and query string).
    Uri,
    /// Values of query, form, multipart and JSON fields.
    Args,
    /// Names of those fields (JSON keys included).
    ArgNames,
    /// Cookie values.
    Cookies,
    /// Cookie names.
    CookieNames,
    /// Header values (the `Cookie` header is read as cookies).
    Headers,
    /// Header names (lower case).
    HeaderNames,
    /// Names of uploaded files.
    Files,
    /// A body that is not form, multipart or JSON data, as raw bytes.
    Body,
}

impl Target {
    /// Every target with its name in rule files and verdicts.
    pub const ALL: [(Target, &'static str); 11] = [
        (Target::Method, "method"),
        (Target::Path, "path"),
        (Target::Uri, "uri"),
        (Target::Args, "args"),
        (Target::ArgNames, "arg_names"),
        (Target::Cookies, "cookies"),
        (Target::CookieNames, "cookie_names"),
        (Target::Headers, "headers"),
        (Target::HeaderNames, "header_names"),
        (Target::Files, "files"),
        (Target::Body, "body"),
    ];

    /// Its name in rule files and verdicts.
    pub fn name(self) -> &'static str {
        Target::ALL
            .iter()
            .find(|(t, _)| *t == self)
            .map(|(_, n)| *n)
            .expect("every target is in ALL")
    }

    /// Its bit in a set of targets.
    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// One request, as PHP or the wire gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// The method, e.g. `GET`.
    pub method: Vec<u8>,
    /// The URI as received: path and query string.
    pub uri: Vec<u8>,
    /// Headers: names in lower case, in order, repeated names kept.
    pub headers: Vec<(Vec<u8>, Vec<u8>)>,
    /// Cookies as PHP parsed them (`$_COOKIE`); `None`: parse the `Cookie` header.
    pub cookies: Option<Tree>,
    /// The query as PHP parsed it (`$_GET`); `None`: parse the URI's query string.
    pub query: Option<Tree>,
    /// Form fields as PHP parsed them (`$_POST`); `None`: parse the body.
    pub post: Option<Tree>,
    /// The raw body (`php://input`).
    pub body: Vec<u8>,
    /// Names of uploaded files.
    pub files: Vec<Vec<u8>>,
    /// The client's address.
    pub ip: Option<String>,
}

/// One value a rule may read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input<'a> {
    /// Where in the request it is.
    pub target: Target,
    /// Its name: the field, cookie or header name (empty for the method,
    /// path, URI and body; for names, the name itself).
    pub name: Cow<'a, [u8]>,
    /// The bytes rules read (at most [`MAX_VALUE_BYTES`]).
    pub value: Cow<'a, [u8]>,
}

/// What [`Request::inputs`] returns.
#[derive(Clone, Debug, Default)]
pub struct Inputs<'a> {
    /// The inputs, in a fixed order: method, path, URI, query, body
    /// fields or raw body, files, cookies, headers.
    pub list: Vec<Input<'a>>,
    /// Whether anything was left out by the limits.
    pub truncated: bool,
}

impl<'a> Inputs<'a> {
    fn push(&mut self, target: Target, name: Cow<'a, [u8]>, value: Cow<'a, [u8]>) {
        if self.list.len() >= MAX_INPUTS {
            self.truncated = true;
            return;
        }
        let value = if value.len() > MAX_VALUE_BYTES {
            self.truncated = true;
            match value {
                Cow::Borrowed(v) => Cow::Borrowed(&v[..MAX_VALUE_BYTES]),
                Cow::Owned(mut v) => {
                    v.truncate(MAX_VALUE_BYTES);
                    Cow::Owned(v)
                }
            }
        } else {
            value
        };
        self.list.push(Input {
            target,
            name,
            value,
        });
    }

    /// A field: its name (as [`Target::ArgNames`] or the like) and its value.
    fn field(&mut self, names: Target, values: Target, name: Cow<'a, [u8]>, value: Cow<'a, [u8]>) {
        self.push(names, name.clone(), name.clone());
        self.push(values, name, value);
    }

    /// Every leaf of `tree`, named PHP-style (`a[b][0]`).
    fn tree(&mut self, names: Target, values: Target, tree: &'a Tree) {
        let Tree::Map(entries) = tree else {
            return;
        };
        for (key, value) in entries {
            self.tree_entry(names, values, Cow::Borrowed(key), value);
        }
    }

    fn tree_entry(&mut self, names: Target, values: Target, name: Cow<'a, [u8]>, value: &'a Tree) {
        match value {
            Tree::Str(s) => self.field(names, values, name, Cow::Borrowed(s)),
            Tree::Map(entries) => {
                for (key, child) in entries {
                    let mut full = name.to_vec();
                    full.push(b'[');
                    full.extend_from_slice(key);
                    full.push(b']');
                    self.tree_entry(names, values, Cow::Owned(full), child);
                }
            }
        }
    }

    /// `a=1&b=2` fields, percent-decoded with `+` as a space.
    fn urlencoded(&mut self, names: Target, values: Target, text: &'a [u8]) {
        for pair in text.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
            let (name, value) = match memchr::memchr(b'=', pair) {
                Some(eq) => (&pair[..eq], &pair[eq + 1..]),
                None => (pair, &b""[..]),
            };
            self.field(names, values, decoded(name, true), decoded(value, true));
        }
    }

    /// A JSON body's keys (as names) and string values; numbers, booleans
    /// and null are not inspected.
    fn json(&mut self, value: &serde_json::Value, name: Vec<u8>) {
        use serde_json::Value;
        match value {
            Value::String(s) => self.push(
                Target::Args,
                Cow::Owned(name),
                Cow::Owned(s.clone().into_bytes()),
            ),
            Value::Array(list) => {
                for (i, item) in list.iter().enumerate() {
                    self.json(item, child_name(&name, i.to_string().as_bytes()));
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    let child = child_name(&name, key.as_bytes());
                    self.push(
                        Target::ArgNames,
                        Cow::Owned(child.clone()),
                        Cow::Owned(key.clone().into_bytes()),
                    );
                    self.json(item, child);
                }
            }
            Value::Number(_) | Value::Bool(_) | Value::Null => {}
        }
    }
}

/// `parent[key]`, or `key` at the top.
fn child_name(parent: &[u8], key: &[u8]) -> Vec<u8> {
    if parent.is_empty() {
        return key.to_vec();
    }
    let mut out = parent.to_vec();
    out.push(b'[');
    out.extend_from_slice(key);
    out.push(b']');
    out
}

/// [`percent_decode`], borrowing `s` when there is nothing to decode.
fn decoded(s: &[u8], plus: bool) -> Cow<'_, [u8]> {
    if s.iter().any(|&b| b == b'%' || (plus && b == b'+')) {
        Cow::Owned(percent_decode(s, plus))
    } else {
        Cow::Borrowed(s)
    }
}

/// Percent-decoding of `%XX` (and `+` as a space when `plus` is set);
/// malformed escapes stay as they are.
pub fn percent_decode(s: &[u8], plus: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if b == b'%'
            && let (Some(h), Some(l)) = (
                s.get(i + 1).and_then(|c| (*c as char).to_digit(16)),
                s.get(i + 2).and_then(|c| (*c as char).to_digit(16)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(if plus && b == b'+' { b' ' } else { b });
        i += 1;
    }
    out
}

/// The body's media type, lower case, without parameters.
fn media_type(content_type: &[u8]) -> Vec<u8> {
    let end = memchr::memchr(b';', content_type).unwrap_or(content_type.len());
    content_type[..end].trim_ascii().to_ascii_lowercase()
}

/// How a body is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BodyKind {
    Form,
    Multipart,
    Json,
    Raw,
}

fn body_kind(media: &[u8]) -> BodyKind {
    match media {
        b"application/x-www-form-urlencoded" => BodyKind::Form,
        b"multipart/form-data" => BodyKind::Multipart,
        b"application/json" | b"text/json" => BodyKind::Json,
        m if m.ends_with(b"+json") => BodyKind::Json,
        _ => BodyKind::Raw,
    }
}

/// The depth of the deepest array or object in a JSON text, counted on
/// its brackets outside strings.
fn json_depth(text: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in text {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

impl Request {
    /// The value of header `name` (lower case): the first one sent.
    pub fn header(&self, name: &[u8]) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// Every input rules may read, within the limits (see the module docs).
    pub fn inputs(&self) -> Inputs<'_> {
        // About two inputs per field, cookie and header: one allocation.
        let fields = memchr::memchr_iter(b'&', &self.uri).count()
            + memchr::memchr_iter(b'&', &self.body).count()
            + memchr::memchr_iter(b';', self.header(b"cookie").unwrap_or_default()).count()
            + self.headers.len();
        let mut inputs = Inputs {
            list: Vec::with_capacity((2 * fields + 8).min(MAX_INPUTS)),
            truncated: false,
        };
        inputs.push(
            Target::Method,
            Cow::Borrowed(b""),
            Cow::Borrowed(&self.method),
        );
        let (path, query_string) = match memchr::memchr(b'?', &self.uri) {
            Some(q) => (&self.uri[..q], Some(&self.uri[q + 1..])),
            None => (&self.uri[..], None),
        };
        inputs.push(Target::Path, Cow::Borrowed(b""), decoded(path, false));
        inputs.push(Target::Uri, Cow::Borrowed(b""), Cow::Borrowed(&self.uri));
        match (&self.query, query_string) {
            (Some(tree), _) => inputs.tree(Target::ArgNames, Target::Args, tree),
            (None, Some(qs)) => inputs.urlencoded(Target::ArgNames, Target::Args, qs),
            (None, None) => {}
        }
        self.body_inputs(&mut inputs);
        for name in &self.files {
            inputs.push(Target::Files, Cow::Borrowed(b""), Cow::Borrowed(name));
        }
        match &self.cookies {
            Some(tree) => inputs.tree(Target::CookieNames, Target::Cookies, tree),
            None => {
                let cookie_headers = self.headers.iter().filter(|(n, _)| n == b"cookie");
                for (_, value) in cookie_headers {
                    for pair in value.split(|&b| b == b';') {
                        let pair = pair.trim_ascii();
                        if pair.is_empty() {
                            continue;
                        }
                        let (n, v) = match memchr::memchr(b'=', pair) {
                            Some(eq) => (&pair[..eq], &pair[eq + 1..]),
                            None => (pair, &b""[..]),
                        };
                        inputs.field(
                            Target::CookieNames,
                            Target::Cookies,
                            Cow::Borrowed(n),
                            decoded(v, true),
                        );
                    }
                }
            }
        }
        for (name, value) in self.headers.iter().filter(|(n, _)| n != b"cookie") {
            inputs.field(
                Target::HeaderNames,
                Target::Headers,
                Cow::Borrowed(name),
                Cow::Borrowed(value),
            );
        }
        inputs
    }

    fn body_inputs<'a>(&'a self, inputs: &mut Inputs<'a>) {
        let media = self
            .header(b"content-type")
            .map(media_type)
            .unwrap_or_default();
        let kind = body_kind(&media);
        let body = if self.body.len() > MAX_BODY_BYTES {
            inputs.truncated = true;
            &self.body[..MAX_BODY_BYTES]
        } else {
            &self.body[..]
        };
        if let Some(post) = &self.post {
            inputs.tree(Target::ArgNames, Target::Args, post);
        }
        match kind {
            BodyKind::Form if self.post.is_none() => {
                inputs.urlencoded(Target::ArgNames, Target::Args, body);
            }
            BodyKind::Multipart if self.post.is_none() => {
                let boundary = self
                    .header(b"content-type")
                    .and_then(super::http::multipart_boundary);
                match boundary {
                    Some(boundary) => {
                        for part in super::http::multipart_parts(body, &boundary) {
                            match part.filename {
                                Some(file) => {
                                    inputs.push(Target::Files, Cow::Borrowed(b""), Cow::Owned(file))
                                }
                                None => inputs.field(
                                    Target::ArgNames,
                                    Target::Args,
                                    Cow::Owned(part.name),
                                    Cow::Borrowed(part.value),
                                ),
                            }
                        }
                    }
                    None if !body.is_empty() => {
                        inputs.push(Target::Body, Cow::Borrowed(b""), Cow::Borrowed(body))
                    }
                    None => {}
                }
            }
            BodyKind::Json if !body.is_empty() => {
                let parsed = (json_depth(body) <= MAX_JSON_DEPTH)
                    .then(|| serde_json::from_slice::<serde_json::Value>(body).ok())
                    .flatten();
                match parsed {
                    Some(value) => inputs.json(&value, Vec::new()),
                    None => inputs.push(Target::Body, Cow::Borrowed(b""), Cow::Borrowed(body)),
                }
            }
            BodyKind::Raw if !body.is_empty() => {
                inputs.push(Target::Body, Cow::Borrowed(b""), Cow::Borrowed(body));
            }
            _ => {}
        }
    }

    /// Reads the request array of `webtotem_waf_inspect()`: keys `method`,
    /// `uri`, `headers` (name => value or list of values), `cookies`,
    /// `query`, `post` (as PHP parsed them), `body`, `files` (names, or
    /// `$_FILES`-shaped arrays with `name`), `ip`; all optional.
    pub fn from_tree(tree: Tree) -> Result<Request> {
        let Tree::Map(entries) = tree else {
            return Err(Error::invalid("the request must be an array"));
        };
        let mut request = Request::default();
        for (key, value) in entries {
            let text = |value: Tree, what: &str| -> Result<Vec<u8>> {
                match value {
                    Tree::Str(s) => Ok(s),
                    Tree::Map(_) => {
                        Err(Error::invalid(format!("request[{what}] must be a string")))
                    }
                }
            };
            match key.as_slice() {
                b"method" => request.method = text(value, "method")?,
                b"uri" => request.uri = text(value, "uri")?,
                b"body" => request.body = text(value, "body")?,
                b"ip" => {
                    let ip = text(value, "ip")?;
                    request.ip = Some(match String::from_utf8(ip) {
                        Ok(ip) => ip,
                        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
                    });
                }
                b"headers" => request.headers = headers_from(value)?,
                b"cookies" => request.cookies = Some(map_from(value, "cookies")?),
                b"query" => request.query = Some(map_from(value, "query")?),
                b"post" => request.post = Some(map_from(value, "post")?),
                b"files" => collect_file_names(value, &mut request.files),
                other => {
                    return Err(Error::invalid(format!(
                        "unknown request key {:?}; the keys are method, uri, headers, cookies, \
                         query, post, body, files, ip",
                        String::from_utf8_lossy(other)
                    )));
                }
            }
        }
        Ok(request)
    }
}

fn map_from(value: Tree, what: &str) -> Result<Tree> {
    match value {
        Tree::Map(_) => Ok(value),
        // An empty string (a cast null) counts as no fields.
        Tree::Str(s) if s.is_empty() => Ok(Tree::Map(Vec::new())),
        Tree::Str(_) => Err(Error::invalid(format!("request[{what}] must be an array"))),
    }
}

fn headers_from(value: Tree) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let Tree::Map(entries) = value else {
        return Err(Error::invalid(
            "request[headers] must be an array of name => value",
        ));
    };
    let mut headers = Vec::with_capacity(entries.len());
    for (mut name, value) in entries {
        name.make_ascii_lowercase();
        match value {
            Tree::Str(v) => headers.push((name, v)),
            Tree::Map(values) => {
                for (_, v) in values {
                    let Tree::Str(v) = v else {
                        return Err(Error::invalid(
                            "request[headers] values must be strings or lists of strings",
                        ));
                    };
                    headers.push((name.clone(), v));
                }
            }
        }
    }
    Ok(headers)
}

/// File names from a list of names or from `$_FILES`-shaped arrays
/// (`name` => a name, or nested arrays of names for `file[]` fields).
fn collect_file_names(value: Tree, out: &mut Vec<Vec<u8>>) {
    match value {
        Tree::Str(s) if !s.is_empty() => out.push(s),
        Tree::Str(_) => {}
        Tree::Map(mut entries) => {
            if let Some(at) = entries.iter().position(|(k, _)| k == b"name") {
                collect_file_names(entries.swap_remove(at).1, out);
            } else {
                for (_, v) in entries {
                    collect_file_names(v, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Tree {
        Tree::Str(v.as_bytes().to_vec())
    }
    fn map(entries: &[(&str, Tree)]) -> Tree {
        Tree::Map(
            entries
                .iter()
                .map(|(k, v)| (k.as_bytes().to_vec(), v.clone()))
                .collect(),
        )
    }
    fn listed(inputs: &Inputs<'_>) -> Vec<(String, String, String)> {
        inputs
            .list
            .iter()
            .map(|i| {
                (
                    i.target.name().to_string(),
                    String::from_utf8_lossy(&i.name).into_owned(),
                    String::from_utf8_lossy(&i.value).into_owned(),
                )
            })
            .collect()
    }
    fn has(inputs: &Inputs<'_>, target: &str, name: &str, value: &str) -> bool {
        listed(inputs)
            .iter()
            .any(|(t, n, v)| t == target && n == name && v == value)
    }

    #[test]
    fn reads_php_arrays_and_flattens_them() {
        let tree = map(&[
            ("method", s("POST")),
            ("uri", s("/a%20b/index.php?x=1")),
            (
                "headers",
                map(&[("User-Agent", s("UA")), ("Cookie", s("sid=1"))]),
            ),
            ("query", map(&[("x", s("1"))])),
            (
                "post",
                map(&[("user", map(&[("name", s("O'Brien")), ("0", s("z"))]))]),
            ),
            ("cookies", map(&[("sid", s("1"))])),
            ("files", map(&[("up", map(&[("name", s("a.php"))]))])),
            ("ip", s("203.0.113.9")),
        ]);
        let request = Request::from_tree(tree.clone()).unwrap();
        let inputs = request.inputs();
        assert!(has(&inputs, "path", "", "/a b/index.php"));
        assert!(has(&inputs, "uri", "", "/a%20b/index.php?x=1"));
        assert!(has(&inputs, "args", "x", "1"));
        assert!(has(&inputs, "args", "user[name]", "O'Brien"));
        assert!(has(&inputs, "arg_names", "user[0]", "user[0]"));
        assert!(has(&inputs, "cookies", "sid", "1"));
        assert!(has(&inputs, "files", "", "a.php"));
        assert!(has(&inputs, "headers", "user-agent", "UA"));
        assert!(
            !listed(&inputs)
                .iter()
                .any(|(t, n, _)| t == "headers" && n == "cookie"),
            "the cookie header is read as cookies"
        );
        assert_eq!(request.ip.as_deref(), Some("203.0.113.9"));
        assert!(!inputs.truncated);
    }

    #[test]
    fn parses_what_php_did_not() {
        let request = Request {
            method: b"POST".to_vec(),
            uri: b"/p?q=a+b%27&flag".to_vec(),
            headers: vec![
                (
                    b"content-type".to_vec(),
                    b"application/json; charset=utf-8".to_vec(),
                ),
                (b"cookie".to_vec(), b"a=1; b=x%20y".to_vec()),
            ],
            body: br#"{"user":{"name":"x' or 1=1","age":3},"tags":["<b>"]}"#.to_vec(),
            ..Request::default()
        };
        let inputs = request.inputs();
        assert!(has(&inputs, "args", "q", "a b'"));
        assert!(has(&inputs, "arg_names", "flag", "flag"));
        assert!(has(&inputs, "args", "user[name]", "x' or 1=1"));
        assert!(has(&inputs, "arg_names", "user[age]", "age"));
        assert!(has(&inputs, "args", "tags[0]", "<b>"));
        assert!(
            !listed(&inputs).iter().any(|(_, _, v)| v == "3"),
            "numbers are not read"
        );
        assert!(has(&inputs, "cookies", "b", "x y"));
    }

    #[test]
    fn raw_and_broken_bodies_are_read_as_bytes() {
        for (ct, body) in [
            ("text/xml", "<a>1</a>"),
            ("application/json", "{broken"),
            ("", "free text"),
        ] {
            let request = Request {
                headers: vec![(b"content-type".to_vec(), ct.as_bytes().to_vec())],
                body: body.as_bytes().to_vec(),
                ..Request::default()
            };
            assert!(has(&request.inputs(), "body", "", body), "{ct}");
        }
        let deep = "[".repeat(MAX_JSON_DEPTH + 1) + &"]".repeat(MAX_JSON_DEPTH + 1);
        let request = Request {
            headers: vec![(b"content-type".to_vec(), b"application/json".to_vec())],
            body: deep.clone().into_bytes(),
            ..Request::default()
        };
        assert!(has(&request.inputs(), "body", "", &deep));
    }

    #[test]
    fn limits_are_kept_and_reported() {
        let long = "x".repeat(MAX_VALUE_BYTES + 10);
        let request = Request {
            uri: format!("/?a={long}").into_bytes(),
            ..Request::default()
        };
        let inputs = request.inputs();
        assert!(inputs.truncated);
        assert!(inputs.list.iter().all(|i| i.value.len() <= MAX_VALUE_BYTES));
        let many = (0..MAX_INPUTS)
            .map(|i| format!("k{i}=v"))
            .collect::<Vec<_>>();
        let request = Request {
            uri: format!("/?{}", many.join("&")).into_bytes(),
            ..Request::default()
        };
        let inputs = request.inputs();
        assert!(inputs.truncated);
        assert_eq!(inputs.list.len(), MAX_INPUTS);
    }

    #[test]
    fn refuses_wrong_shapes_clearly() {
        for (tree, needle) in [
            (s("GET /"), "must be an array"),
            (
                map(&[("method", map(&[]))]),
                "request[method] must be a string",
            ),
            (
                map(&[("query", s("a=1"))]),
                "request[query] must be an array",
            ),
            (
                map(&[("header", map(&[]))]),
                "unknown request key \"header\"",
            ),
        ] {
            let err = Request::from_tree(tree.clone()).unwrap_err().to_string();
            assert!(err.contains(needle), "{err}");
        }
    }
}
