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
    /// The WebTotem cloud API refused a call, or could not be reached or
    /// understood (see [`crate::api::ApiErrorCode`]).
    #[error("[{code}] {message}")]
    Api {
        /// The typed error code, e.g. `INVALID_API_KEY`.
        code: crate::api::ApiErrorCode,
        /// The English message, with any detail the API or transport gave.
        message: String,
    },
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
    /// `WebTotem\ApiException`.
    Api,
}

impl ErrorKind {
    /// Every kind, in the order their PHP classes are registered.
    pub const ALL: [ErrorKind; 4] = [
        ErrorKind::InvalidArgument,
        ErrorKind::Io,
        ErrorKind::Internal,
        ErrorKind::Api,
    ];

    /// The fully qualified PHP class name of this kind.
    pub fn php_class(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "WebTotem\\InvalidArgumentException",
            ErrorKind::Io => "WebTotem\\IoException",
            ErrorKind::Internal => "WebTotem\\InternalException",
            ErrorKind::Api => "WebTotem\\ApiException",
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
            Error::Api { .. } => ErrorKind::Api,
        }
    }

    /// The integer code PHP exceptions carry: the API error's number (see
    /// [`crate::api::ApiErrorCode::number`]) for [`Error::Api`], else 0.
    pub fn code(&self) -> i32 {
        match self {
            Error::Api { code, .. } => code.number(),
            _ => 0,
        }
    }

    /// Shorthand for an [`Error::InvalidArgument`].
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidArgument(message.into())
    }
}

/// The result type of every core function.
pub type Result<T> = std::result::Result<T, Error>;
