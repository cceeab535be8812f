//! Marks secret parameters `#[\SensitiveParameter]` (PHP 8.2+), so that
//! stack traces (`getTrace()`, `getTraceAsString()`, `debug_backtrace()`)
//! show a `SensitiveParameterValue` instead of the API key even where
//! `zend.exception_ignore_args` is off.
//!
//! ext-php-rs cannot declare parameter attributes, so the attribute is added
//! the way PHP's own generated arginfo adds it (`zend_add_attribute` on the
//! method's persistent attribute table). Classes are registered after the
//! module's start-up function runs, so this runs at request start-up
//! (RINIT), before any PHP code, and adds the attribute only to a method
//! that has none yet: once per process, and again after a SAPI registers
//! the classes anew.

use ext_php_rs::ffi::{HashTable, zend_function, zend_string};
use ext_php_rs::types::ZendStr;
use ext_php_rs::zend::ClassEntry;

/// `ZEND_ATTRIBUTE_PERSISTENT`: the attribute of an internal function.
const ZEND_ATTRIBUTE_PERSISTENT: u32 = 1;

/// The secret parameters: class, method (lower case), 0-based position.
const SECRET_PARAMETERS: &[(&str, &str, u32)] = &[("WebTotem\\Client", "__construct", 1)];

unsafe extern "C" {
    fn zend_add_attribute(
        attributes: *mut *mut HashTable,
        name: *mut zend_string,
        argc: u32,
        flags: u32,
        offset: u32,
        lineno: u32,
    ) -> *mut std::ffi::c_void;
}

/// Adds `#[\SensitiveParameter]` to every parameter of
/// [`SECRET_PARAMETERS`] whose method has no attributes yet.
pub fn mark() {
    for (class, method, position) in SECRET_PARAMETERS {
        // SAFETY: runs in RINIT on the thread that owns the engine; the
        // class entries and their function tables live until shutdown.
        unsafe { mark_parameter(class, method, *position) };
    }
}

unsafe fn mark_parameter(class: &str, method: &str, position: u32) {
    let Some(ce) = ClassEntry::try_find(class) else {
        return;
    };
    let Some(func) = ce
        .function_table
        .get(method)
        .and_then(|zv| unsafe { zv.ptr::<zend_function>() })
    else {
        return;
    };
    // SAFETY: `func` points to a live zend_function (see above).
    if unsafe { !(*func).common.attributes.is_null() } {
        return;
    }
    let mut name = ZendStr::new("SensitiveParameter", true);
    // SAFETY: `func` is an internal method of a registered class; the
    // attribute table is persistent as for any internal function, and
    // zend_add_attribute copies (adds a reference to) the name.
    unsafe {
        zend_add_attribute(
            &raw mut (*func).common.attributes,
            &raw mut *name as *mut zend_string,
            0,
            ZEND_ATTRIBUTE_PERSISTENT,
            position + 1,
            0,
        );
    }
}
