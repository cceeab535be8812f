//! The PHP binding: converts PHP values and errors, nothing else.
//!
//! Functions are generated from the table in [`crate::exports`]; each one
//! runs its core function under [`crate::exports::guard`] and turns an
//! [`Error`] into the matching `WebTotem\…` exception.

mod client;
mod convert;
mod exceptions;
mod sensitive;

use crate::error::Error;
use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

/// Turns a core error into the PHP exception of its kind.
pub fn to_php_exception(err: Error) -> PhpException {
    PhpException::new(
        err.to_string(),
        err.code(),
        exceptions::class_of(err.kind()),
    )
}

macro_rules! php_functions {
    ($( $(#[doc = $doc:literal])* $(#[cfg($cfg:meta)])?
        fn $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty = $path:path ; )*) => {
        $(
            $(#[cfg($cfg)])?
            $(#[doc = $doc])*
            #[php_function]
            #[allow(non_snake_case)]
            pub fn $name($($arg: $ty),*) -> PhpResult<$ret> {
                crate::exports::guard(|| $path($($arg),*)).map_err(to_php_exception)
            }
        )*

        /// Registers every exported function with the module.
        pub(super) fn register_functions(mut module: ModuleBuilder) -> ModuleBuilder {
            $( $(#[cfg($cfg)])? { module = module.function(wrap_function!($name)); } )*
            module
        }
    };
}

/// The generated PHP functions. PHP parameter names are camelCase.
#[allow(non_snake_case)]
mod functions {
    use super::to_php_exception;
    use ext_php_rs::prelude::*;
    crate::exports::exported_functions!(php_functions);
}
pub use functions::*;

/// Module start-up (MINIT): maps the flood counters' shared memory,
/// compiles the firewall rules in servers (see
/// [`crate::firewall::rules::compile_at_startup`]), registers the exception classes and silences
/// Rust's default panic message (panics reach PHP as exceptions carrying the
/// message, not as text on the server's stderr).
unsafe extern "C" fn startup(_type: i32, _module_number: i32) -> i32 {
    std::panic::set_hook(Box::new(|_| {}));
    // Before PHP-FPM or Apache fork their workers, so that they share them.
    crate::firewall::flood::shared::init();
    if crate::firewall::rules::compile_at_startup(&sapi_name()) {
        // A panic here must not stop PHP from starting: the rules are then
        // compiled (and the error reported) at the first inspection.
        let _ = crate::exports::guard(|| {
            crate::firewall::rules::compile_now();
            Ok(())
        });
    }
    match exceptions::register() {
        Ok(()) => 0,
        Err(_) => -1,
    }
}

/// The running server API's name (`cli`, `fpm-fcgi`, `apache2handler`…).
fn sapi_name() -> Vec<u8> {
    let module = ext_php_rs::zend::SapiModule::get();
    if module.name.is_null() {
        return Vec::new();
    }
    // SAFETY: PHP sets the name to a static NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(module.name) }
        .to_bytes()
        .to_vec()
}

/// Request start-up (RINIT): marks the secret parameters (see [`sensitive`]).
unsafe extern "C" fn request_startup(_type: i32, _module_number: i32) -> i32 {
    sensitive::mark();
    0
}

/// The `phpinfo()` / `php --ri webtotem` table.
unsafe extern "C" fn module_info(_module: *mut ModuleEntry) {
    use crate::build_info as b;
    let functions = crate::exports::FUNCTIONS.len().to_string();
    let rules = b::RULE_COUNT.to_string();
    let features = if b::CARGO_FEATURES.is_empty() {
        "default".to_string()
    } else {
        b::CARGO_FEATURES.join(", ")
    };
    info_table_start!();
    info_table_row!("WebTotem Security core", "enabled");
    info_table_row!("version", b::VERSION);
    info_table_row!("build", b::version_line());
    info_table_row!("commit", b::commit());
    info_table_row!("rustc", b::RUSTC_VERSION);
    info_table_row!("target", b::TARGET);
    info_table_row!("cargo features", features);
    info_table_row!("enabled features", b::CAPABILITIES.join(", "));
    info_table_row!("exported functions", functions);
    info_table_row!("antivirus rules", rules);
    info_table_row!(
        "firewall rules",
        crate::firewall::rules::definitions().len().to_string()
    );
    info_table_row!(
        "firewall rules compiled",
        if crate::firewall::rules::compiled() {
            "yes"
        } else {
            "no (at the first inspection)"
        }
    );
    info_table_end!();
}

/// The module entry PHP loads.
#[php_module]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    let module = module
        .startup_function(startup)
        .request_startup_function(request_startup)
        .info_function(module_info)
        .class::<client::Client>();
    functions::register_functions(module)
}
