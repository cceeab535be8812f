//! The real PHP code bases from Debian's packages (`scripts/setup.sh`
//! installs them), shared by the tests that read them in place (none are
//! copied): WordPress, phpMyAdmin, Roundcube, DokuWiki, MediaWiki, and the
//! libraries under /usr/share/php (Laravel's Illuminate among them).

use std::path::{Path, PathBuf};

/// The installed trees.
pub const CODE_BASES: &[&str] = &[
    "/usr/share/wordpress",
    "/usr/share/phpmyadmin",
    "/usr/share/roundcube",
    "/usr/share/dokuwiki",
    "/usr/share/mediawiki",
    "/usr/share/php",
];

/// The regular files under the code bases whose path `wanted` accepts,
/// sorted, each once. A missing tree fails the test when
/// `WEBTOTEM_REAL_CODE=1` (as `scripts/test.sh` sets it) and is skipped
/// with a note otherwise.
pub fn files(follow_links: bool, wanted: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let required = std::env::var("WEBTOTEM_REAL_CODE").is_ok_and(|v| v == "1");
    let mut files = Vec::new();
    for base in CODE_BASES {
        let root = Path::new(base);
        if !root.is_dir() {
            assert!(!required, "{base} is missing: scripts/setup.sh installs it");
            eprintln!("skipping {base}: not installed");
            continue;
        }
        for entry in walkdir::WalkDir::new(root)
            .follow_links(follow_links)
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_type().is_file() && wanted(entry.path()) {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    files.dedup();
    files
}
