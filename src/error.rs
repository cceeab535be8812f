//! The one error type of the core, and the PHP exception class each kind maps to.

use serde::Serialize;

/// A failure of a core function. Every kind names the `WebTotem\…` PHP
/// exception class it is thrown as, and the CLI reports the same class name.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The caller passed a value the function cannot accept.
    #[error("{0}")]
    InvalidArgument(String),
    /// A file or directory could not be read or written.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, e.g. `reading /var/www/x/index.php`.
        context: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A bug in the core (a Rust panic included); never the caller's fault.
    #[error("internal error in the WebTotem core: {0}")]
    Internal(String),
}

/// The kinds of [`Error`], one per PHP exception class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ErrorKind {
    /// `WebTotem\InvalidArgumentException`.
    InvalidArgument,
    /// `WebTotem\IoException`.
    Io,
    /// `WebTotem\InternalException`.
    Internal,
}

impl ErrorKind {
    /// Every kind, in the order their PHP classes are registered.
    pub const ALL: [ErrorKind; 3] = [
        ErrorKind::InvalidArgument,
        ErrorKind::Io,
        ErrorKind::Internal,
    ];

    /// The fully qualified PHP class name of this kind.
    pub fn php_class(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "WebTotem\\InvalidArgumentException",
            ErrorKind::Io => "WebTotem\\IoException",
            ErrorKind::Internal => "WebTotem\\InternalException",
        }
    }
}

impl Error {
    /// Which kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidArgument(_) => ErrorKind::InvalidArgument,
            Error::Io { .. } => ErrorKind::Io,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Shorthand for an [`Error::InvalidArgument`].
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidArgument(message.into())
    }
}

/// The result type of every core function.
pub type Result<T> = std::result::Result<T, Error>;
