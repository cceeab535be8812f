//! Raw HTTP/1.x requests and multipart bodies, read leniently: the
//! firewall must see what a server would hand to the application, and a
//! malformed request is still inspected as far as it goes.

use super::request::Request;
use crate::error::{Error, Result};

/// Reads one raw HTTP/1.x request: the request line (an absolute URI is
/// cut to its path and query), headers (names in lower case; folded lines
/// joined) and the body (cut to `Content-Length`; a chunked body decoded).
pub fn parse_request(raw: &[u8]) -> Result<Request> {
    let (head, body) = split_head(raw);
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let request_line = lines
        .by_ref()
        .find(|l| !l.is_empty())
        .ok_or_else(|| Error::invalid("the request has no request line"))?;
    let mut parts = request_line.split(|&b| b == b' ').filter(|p| !p.is_empty());
    let method = parts
        .next()
        .ok_or_else(|| Error::invalid("the request line has no method"))?;
    let target = parts
        .next()
        .ok_or_else(|| Error::invalid("the request line has no URI"))?;
    let mut headers: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for line in lines {
        if let Some(b' ' | b'\t') = line.first() {
            if let Some((_, value)) = headers.last_mut() {
                value.push(b' ');
                value.extend_from_slice(line.trim_ascii());
            }
            continue;
        }
        let Some(colon) = memchr::memchr(b':', line) else {
            continue;
        };
        headers.push((
            line[..colon].trim_ascii().to_ascii_lowercase(),
            line[colon + 1..].trim_ascii().to_vec(),
        ));
    }
    let request = Request {
        method: method.to_vec(),
        uri: origin_form(target).to_vec(),
        body: Vec::new(),
        headers,
        ..Request::default()
    };
    let body = read_body(&request, body);
    Ok(Request { body, ..request })
}

/// The head (request line and headers) and what follows the blank line.
fn split_head(raw: &[u8]) -> (&[u8], &[u8]) {
    let crlf = memchr::memmem::find(raw, b"\r\n\r\n").map(|i| (i, 4));
    let lf = memchr::memmem::find(raw, b"\n\n").map(|i| (i, 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => {
            let (i, n) = if a.0 <= b.0 { a } else { b };
            (&raw[..i], &raw[i + n..])
        }
        (Some((i, n)), None) | (None, Some((i, n))) => (&raw[..i], &raw[i + n..]),
        (None, None) => (raw, &[]),
    }
}

/// `http://host:port/path?q` as `/path?q`; other forms as they are.
fn origin_form(target: &[u8]) -> &[u8] {
    let lower = target
        .get(..8)
        .map(<[u8]>::to_ascii_lowercase)
        .unwrap_or_default();
    let scheme = if lower.starts_with(b"http://") {
        7
    } else if lower.starts_with(b"https://") {
        8
    } else {
        return target;
    };
    match memchr::memchr(b'/', &target[scheme..]) {
        Some(slash) => &target[scheme + slash..],
        None => b"/",
    }
}

fn read_body(request: &Request, rest: &[u8]) -> Vec<u8> {
    let chunked = request
        .header(b"transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().ends_with(b"chunked"));
    if chunked && let Some(body) = dechunk(rest) {
        return body;
    }
    let length = request
        .header(b"content-length")
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    match length {
        Some(n) if n < rest.len() => rest[..n].to_vec(),
        _ => rest.to_vec(),
    }
}

/// Decodes a chunked body; `None` when it is malformed.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = memchr::memchr(b'\n', rest)?;
        let line = rest[..eol].strip_suffix(b"\r").unwrap_or(&rest[..eol]);
        let size_text = line.split(|&b| b == b';').next()?.trim_ascii();
        let size = usize::from_str_radix(std::str::from_utf8(size_text).ok()?, 16).ok()?;
        rest = &rest[eol + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = &rest[size..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
    }
}

/// The `boundary` parameter of a `multipart/form-data` content type.
pub fn multipart_boundary(content_type: &[u8]) -> Option<Vec<u8>> {
    let lower = content_type.to_ascii_lowercase();
    let at = memchr::memmem::find(&lower, b"boundary=")? + b"boundary=".len();
    let value = &content_type[at..];
    let value = match value.strip_prefix(b"\"") {
        Some(quoted) => &quoted[..memchr::memchr(b'"', quoted)?],
        None => {
            let end = value
                .iter()
                .position(|&b| b == b';' || b == b',' || b.is_ascii_whitespace())
                .unwrap_or(value.len());
            &value[..end]
        }
    };
    (!value.is_empty()).then(|| value.to_vec())
}

/// One part of a multipart body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part<'a> {
    /// The field name.
    pub name: Vec<u8>,
    /// The file name, for a file part.
    pub filename: Option<Vec<u8>>,
    /// The part's content.
    pub value: &'a [u8],
}

/// The parts of a multipart body with `boundary`; parts without a
/// `Content-Disposition` name are left out.
pub fn multipart_parts<'a>(body: &'a [u8], boundary: &[u8]) -> Vec<Part<'a>> {
    let mut delimiter = b"--".to_vec();
    delimiter.extend_from_slice(boundary);
    let finder = memchr::memmem::Finder::new(&delimiter);
    let starts: Vec<usize> = finder.find_iter(body).collect();
    let mut parts = Vec::new();
    for pair in starts.windows(2) {
        let mut part = &body[pair[0] + delimiter.len()..pair[1]];
        part = part
            .strip_prefix(b"\r\n")
            .or_else(|| part.strip_prefix(b"\n"))
            .unwrap_or(part);
        part = part
            .strip_suffix(b"\r\n")
            .or_else(|| part.strip_suffix(b"\n"))
            .unwrap_or(part);
        let (head, value) = split_head(part);
        let mut name = None;
        let mut filename = None;
        for line in head.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.len() > 20 && line[..20].eq_ignore_ascii_case(b"content-disposition:") {
                name = disposition_param(line, b"name");
                filename = disposition_param(line, b"filename");
            }
        }
        if let Some(name) = name {
            parts.push(Part {
                name,
                filename,
                value,
            });
        }
    }
    parts
}

/// A `param="value"` (or unquoted) of a `Content-Disposition` line.
fn disposition_param(line: &[u8], param: &[u8]) -> Option<Vec<u8>> {
    let lower = line.to_ascii_lowercase();
    let mut search = 0;
    while let Some(found) = memchr::memmem::find(&lower[search..], param) {
        let at = search + found;
        search = at + param.len();
        let before_ok = at > 0 && matches!(lower[at - 1], b';' | b' ' | b'\t');
        let rest = &line[at + param.len()..];
        let Some(rest) = rest.trim_ascii_start().strip_prefix(b"=") else {
            continue;
        };
        if !before_ok {
            continue;
        }
        let rest = rest.trim_ascii_start();
        return Some(match rest.strip_prefix(b"\"") {
            Some(quoted) => {
                let end = memchr::memchr(b'"', quoted).unwrap_or(quoted.len());
                quoted[..end].to_vec()
            }
            None => {
                let end = memchr::memchr(b';', rest).unwrap_or(rest.len());
                rest[..end].trim_ascii().to_vec()
            }
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_proxy_style_request_with_a_body() {
        let raw = b"POST http://localhost:8080/shop/add.jsp HTTP/1.1\r\nHost: localhost\r\n\
                    Content-Type: application/x-www-form-urlencoded\r\nX-Long: a\r\n  b\r\n\
                    Content-Length: 8\r\n\r\nid=3&x=extra";
        let r = parse_request(raw).unwrap();
        assert_eq!(r.method, b"POST");
        assert_eq!(r.uri, b"/shop/add.jsp");
        assert_eq!(r.header(b"x-long"), Some(&b"a b"[..]));
        assert_eq!(r.body, b"id=3&x=e");
    }

    #[test]
    fn decodes_chunks_and_keeps_lf_only_requests() {
        let raw = b"POST /p HTTP/1.1\nTransfer-Encoding: chunked\n\n3\nabc\n2;x=y\nde\n0\n\n";
        assert_eq!(parse_request(raw).unwrap().body, b"abcde");
        let broken = b"POST /p HTTP/1.1\nTransfer-Encoding: chunked\n\nzz\nabc";
        assert_eq!(parse_request(broken).unwrap().body, b"zz\nabc");
        assert!(parse_request(b"\r\n\r\n").is_err());
        assert_eq!(parse_request(b"GET http://h").unwrap().uri, b"/");
    }

    #[test]
    fn splits_multipart_bodies() {
        let ct = b"multipart/form-data; boundary=\"XyZ\"";
        let boundary = multipart_boundary(ct).unwrap();
        assert_eq!(boundary, b"XyZ");
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhello\r\n\
                     --XyZ\r\nContent-Disposition: form-data; name=\"up\"; filename=\"a.php\"\r\n\
                     Content-Type: text/plain\r\n\r\n<?php x\r\n--XyZ--\r\n";
        let parts = multipart_parts(body, &boundary);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, b"title");
        assert_eq!(parts[0].value, b"hello");
        assert_eq!(parts[0].filename, None);
        assert_eq!(parts[1].filename.as_deref(), Some(&b"a.php"[..]));
        assert_eq!(multipart_boundary(b"multipart/form-data"), None);
    }
}
