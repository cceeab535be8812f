//! Root detection on the fixture files shared with the PHPUnit suite:
//! `tests/fixtures/docroot/public-*.php` must load an autoloader,
//! `docroot-*.php` must not.

use std::path::Path;
use webtotem::docroot::{detect_root, find_autoloader};

#[test]
fn every_fixture_is_judged_as_its_name_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docroot");
    let mut checked = (0, 0);
    let mut wrong = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fixtures folder") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let src = std::fs::read(&path).unwrap();
        let found = find_autoloader(&src);
        let expect_public = if name.starts_with("public-") {
            checked.0 += 1;
            true
        } else if name.starts_with("docroot-") {
            checked.1 += 1;
            false
        } else {
            panic!("fixture {name} must start with public- or docroot-");
        };
        if found.is_some() != expect_public {
            wrong.push(format!("{name}: found {found:?}"));
        }
        let root = detect_root("/var/www/vhosts/x.com/httpdocs", Some(&src)).unwrap();
        assert_eq!(root.ends_with("/public"), expect_public, "{name}");
    }
    assert!(
        wrong.is_empty(),
        "misjudged fixtures:\n{}",
        wrong.join("\n")
    );
    assert!(
        checked.0 >= 30 && checked.1 >= 15,
        "too few fixtures: {checked:?}"
    );
}
