//! The findings a file must not give when it is clean: medium severity or
//! above, one line each, for the false-positive tests.

use webtotem::malware::Severity;
use webtotem::malware::scan::scan_contents;

/// `name:line rule severity — snippet` for each finding of medium severity
/// or above in `data`, scanned under `name`.
pub fn medium_or_above(name: &str, data: &[u8]) -> Vec<String> {
    scan_contents(name, name.as_bytes(), data)
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Medium)
        .map(|f| {
            format!(
                "{name}:{} {} {} — {}",
                f.line,
                f.rule,
                f.severity.as_str(),
                f.snippet
            )
        })
        .collect()
}
