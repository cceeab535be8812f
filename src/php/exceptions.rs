//! The `WebTotem\…` exception classes, one per [`ErrorKind`].
//!
//! They are plain PHP exception classes registered at module start-up with
//! the engine's own exception object handlers, so they carry the file, line
//! and trace of the PHP code that called the core, and PHP code may
//! construct them like any exception (the Plesk module does so when it gets
//! an error from the CLI twin).

use crate::error::ErrorKind;
use ext_php_rs::builders::ClassBuilder;
use ext_php_rs::describe::DocComments;
use ext_php_rs::zend::{ClassEntry, ce};
use std::sync::atomic::{AtomicPtr, Ordering};

/// The base class `WebTotem\Exception`.
pub const BASE_CLASS: &str = "WebTotem\\Exception";

static BASE: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());
static KINDS: [AtomicPtr<ClassEntry>; ErrorKind::ALL.len()] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; ErrorKind::ALL.len()];

fn loaded(slot: &AtomicPtr<ClassEntry>) -> &'static ClassEntry {
    let ptr = slot.load(Ordering::Acquire);
    // SAFETY: only ever set from `register`, to class entries that the engine
    // keeps for the life of the process.
    unsafe { ptr.as_ref() }.expect("WebTotem exception classes are registered at module start-up")
}

fn base() -> &'static ClassEntry {
    loaded(&BASE)
}

/// The class entry thrown for errors of `kind`.
pub fn class_of(kind: ErrorKind) -> &'static ClassEntry {
    loaded(&KINDS[kind as usize])
}

fn doc_of(kind: ErrorKind) -> DocComments {
    match kind {
        ErrorKind::InvalidArgument => &["/// A caller passed a value the function cannot accept."],
        ErrorKind::Io => &["/// A file or directory could not be read or written."],
        ErrorKind::Internal => {
            &["/// A bug in the core, a Rust panic included; never the caller's fault."]
        }
        ErrorKind::Api => &[
            "/// The WebTotem cloud API refused a call or could not be reached; the message",
            "/// starts with the error code in brackets and getCode() is its number.",
        ],
    }
}

/// Registers the classes; called from the module's start-up (MINIT).
pub fn register() -> ext_php_rs::error::Result<()> {
    ClassBuilder::new(BASE_CLASS)
        .extends((ce::exception, "\\Exception"))
        .docs(&["/// The base of every exception the WebTotem core throws."])
        .registration(|ce, _| BASE.store(ce, Ordering::Release))
        .register()?;
    for kind in ErrorKind::ALL {
        let registration: fn(&'static mut ClassEntry, _) = match kind {
            ErrorKind::InvalidArgument => {
                |ce, _| KINDS[ErrorKind::InvalidArgument as usize].store(ce, Ordering::Release)
            }
            ErrorKind::Io => |ce, _| KINDS[ErrorKind::Io as usize].store(ce, Ordering::Release),
            ErrorKind::Internal => {
                |ce, _| KINDS[ErrorKind::Internal as usize].store(ce, Ordering::Release)
            }
            ErrorKind::Api => |ce, _| KINDS[ErrorKind::Api as usize].store(ce, Ordering::Release),
        };
        ClassBuilder::new(kind.php_class())
            .extends((base, BASE_CLASS))
            .docs(doc_of(kind))
            .registration(registration)
            .register()?;
    }
    Ok(())
}
