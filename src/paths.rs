//! Validation of file-system paths that come from outside (PHP, the CLI).

use crate::error::{Error, Result};

/// The longest path accepted, as Linux's `PATH_MAX`.
pub const MAX_PATH_LEN: usize = 4096;

/// Checks that `path` is an absolute path safe to use as a site directory and
/// returns it normalised: duplicate slashes and `.` segments removed, no
/// trailing slash. Rejects empty and relative paths, `..` segments, NUL and
/// other control bytes, over-long paths and the file-system root itself.
pub fn validate_absolute_dir(what: &str, path: &str) -> Result<String> {
    if path.is_empty() {
        return Err(Error::invalid(format!("{what} must not be empty")));
    }
    if path.len() > MAX_PATH_LEN {
        return Err(Error::invalid(format!(
            "{what} is longer than {MAX_PATH_LEN} bytes"
        )));
    }
    if path.bytes().any(|b| b == 0) {
        return Err(Error::invalid(format!("{what} contains a NUL byte")));
    }
    if path.chars().any(char::is_control) {
        return Err(Error::invalid(format!(
            "{what} contains a control character"
        )));
    }
    if !path.starts_with('/') {
        return Err(Error::invalid(format!(
            "{what} must be an absolute path, got \"{path}\""
        )));
    }
    let mut normalised = String::with_capacity(path.len());
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                return Err(Error::invalid(format!(
                    "{what} must not contain \"..\" segments, got \"{path}\""
                )));
            }
            s => {
                normalised.push('/');
                normalised.push_str(s);
            }
        }
    }
    if normalised.is_empty() {
        return Err(Error::invalid(format!(
            "{what} must not be the file-system root"
        )));
    }
    Ok(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_harmless_forms() {
        let v = |p| validate_absolute_dir("docroot", p).unwrap();
        assert_eq!(
            v("/var/www/vhosts/a.com/httpdocs"),
            "/var/www/vhosts/a.com/httpdocs"
        );
        assert_eq!(v("/var//www/./a/"), "/var/www/a");
        assert_eq!(v("/var/www/a..b/.c"), "/var/www/a..b/.c");
    }

    #[test]
    fn rejects_dangerous_forms() {
        for bad in [
            "",
            "relative/path",
            "/var/www/../etc",
            "/..",
            "/",
            "//",
            "/a\0b",
            "/a\nb",
            "./x",
        ] {
            let err = validate_absolute_dir("docroot", bad).unwrap_err();
            assert!(
                matches!(err, Error::InvalidArgument(_)),
                "{bad:?} gave {err}"
            );
        }
        let long = format!("/{}", "a".repeat(MAX_PATH_LEN));
        assert!(validate_absolute_dir("docroot", &long).is_err());
    }
}
