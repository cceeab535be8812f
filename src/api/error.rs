//! The typed errors of the WebTotem API client: every error message the G1
//! API is known to send, and every way the transport can fail, each with a
//! stable code, a stable number (the PHP exception's `getCode()`) and a
//! human message in English and Russian.

use serde::Serialize;
use std::fmt;

macro_rules! api_error_codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = ($code:literal, $number:literal, $en:literal, $ru:literal), )*) => {
        /// A typed API error code. The API's own codes come first, then the
        /// client's (the e-mail rule, the transport and the response checks).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ApiErrorCode {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl ApiErrorCode {
            /// Every code, in the order of the table.
            pub const ALL: &'static [ApiErrorCode] = &[$(ApiErrorCode::$variant),*];

            /// The code as text, e.g. `INVALID_API_KEY`.
            pub fn as_str(self) -> &'static str {
                match self { $(ApiErrorCode::$variant => $code,)* }
            }

            /// The stable number of the code (the PHP exception's code).
            pub fn number(self) -> i32 {
                match self { $(ApiErrorCode::$variant => $number,)* }
            }

            /// The message for people, in English.
            pub fn message_en(self) -> &'static str {
                match self { $(ApiErrorCode::$variant => $en,)* }
            }

            /// The message for people, in Russian.
            pub fn message_ru(self) -> &'static str {
                match self { $(ApiErrorCode::$variant => $ru,)* }
            }
        }
    };
}

api_error_codes! {
    /// The API key is unknown (API: `INVALID_API_KEY`).
    InvalidApiKey = ("INVALID_API_KEY", 1001, "The API key is invalid.", "Неверный API-ключ."),
    /// The bearer token was refused, and signing in again with the API key
    /// did not help or was impossible (API: `Invalid token`, `INVALID_TOKEN`).
    InvalidToken = ("INVALID_TOKEN", 1002,
        "The session token is invalid or has expired, and signing in again with the API key did not help.",
        "Токен сеанса недействителен или истёк, а повторный вход по API-ключу не помог."),
    /// Wrong e-mail or password (API: `INVALID_CREDENTIALS`).
    InvalidCredentials = ("INVALID_CREDENTIALS", 1003, "The e-mail or password is wrong.", "Неверный e-mail или пароль."),
    /// The account's plan has expired (API: `API_KEY_DEACTIVATED`).
    ApiKeyDeactivated = ("API_KEY_DEACTIVATED", 1004,
        "The subscription plan of this WebTotem account has expired.",
        "Срок действия тарифного плана этого аккаунта WebTotem истёк."),
    /// The account's password must be changed (API: `Password expired`).
    PasswordExpired = ("PASSWORD_EXPIRED", 1005,
        "The account password has expired; change it in the WebTotem cabinet.",
        "Срок действия пароля истёк; смените его в личном кабинете WebTotem."),
    /// Registration of an e-mail that has an account (API: `USER_ALREADY_REGISTERED`).
    UserAlreadyRegistered = ("USER_ALREADY_REGISTERED", 1006,
        "A user with this email already exists.",
        "Пользователь с таким e-mail уже существует."),
    /// A wrong e-mail confirmation code (API: `Invalid verify code`).
    InvalidVerifyCode = ("INVALID_VERIFY_CODE", 1007, "The confirmation code is invalid.", "Неверный код подтверждения."),
    /// The account may not add more sites (API: `HOSTS_LIMIT_EXCEEDED`).
    HostsLimitExceeded = ("HOSTS_LIMIT_EXCEEDED", 1101, "Limit of adding sites exceeded.", "Превышен лимит добавления сайтов."),
    /// The site is in the account already (API: `DUPLICATE_HOST`).
    DuplicateHost = ("DUPLICATE_HOST", 1102, "This site is already in the account.", "Этот сайт уже добавлен в аккаунт."),
    /// The API refused a host name (API: `INVALID_DOMAIN_NAME`).
    InvalidDomainName = ("INVALID_DOMAIN_NAME", 1103, "Invalid domain name.", "Недопустимое доменное имя."),
    /// No such site, configuration or other object (API: `RESOURCE_NOT_FOUND`).
    ResourceNotFound = ("RESOURCE_NOT_FOUND", 1104, "The requested object was not found.", "Запрошенный объект не найден."),
    /// The site belongs to another account (API: `USERHOST_NOT_BELONG_TO_USER`).
    UserhostNotBelongToUser = ("USERHOST_NOT_BELONG_TO_USER", 1105,
        "This site belongs to another account.",
        "Этот сайт принадлежит другому аккаунту."),
    /// `checkAgent` for an agent that is not waiting to be verified (API:
    /// `Agent does not exist or has been already verified`).
    AgentNotPending = ("AGENT_NOT_PENDING", 1201,
        "Agent does not exist or has been already verified.",
        "Агент не существует или уже подтверждён."),
    /// The server refused a research sample (assumed contract: `SAMPLE_REJECTED`).
    SampleRejected = ("SAMPLE_REJECTED", 1301,
        "The WebTotem server refused the malware sample.",
        "Сервер WebTotem отклонил образец вредоносного кода."),
    /// A firewall log chunk overlaps a range the server holds with other
    /// content (assumed contract: `LOG_RANGE_CONFLICT`).
    LogRangeConflict = ("LOG_RANGE_CONFLICT", 1302,
        "The firewall log chunk overlaps a part of the log the server already holds.",
        "Фрагмент журнала файрвола пересекается с уже полученной сервером частью журнала."),
    /// Any other error message of the API; the detail carries it as sent.
    ServerError = ("SERVER_ERROR", 1900, "The WebTotem API reported an error.", "API WebTotem сообщил об ошибке."),
    /// The e-mail is not in the domain of the Plesk account's e-mail.
    EmailNotAllowed = ("EMAIL_NOT_ALLOWED", 2001,
        "Only an e-mail address in the domain of the Plesk account's e-mail may be used.",
        "Можно использовать только адрес e-mail в домене e-mail учётной записи Plesk."),
    /// Neither an API key nor a token was given for a call that needs one.
    NotAuthenticated = ("NOT_AUTHENTICATED", 2002,
        "No API key or token was given; sign in with an API key first.",
        "Не указан API-ключ или токен; сначала войдите по API-ключу."),
    /// The TCP connection could not be made.
    ConnectionFailed = ("CONNECTION_FAILED", 3001, "Could not connect to the WebTotem API.", "Не удалось подключиться к API WebTotem."),
    /// The API did not answer within the time allowed.
    Timeout = ("TIMEOUT", 3002, "The WebTotem API did not answer in time.", "API WebTotem не ответил вовремя."),
    /// The API's TLS certificate could not be verified.
    TlsError = ("TLS_ERROR", 3003,
        "The WebTotem API's TLS certificate could not be verified.",
        "Не удалось проверить TLS-сертификат API WebTotem."),
    /// The API answered with an HTTP error status and no GraphQL error.
    HttpError = ("HTTP_ERROR", 3004, "The WebTotem API answered with an HTTP error.", "API WebTotem ответил ошибкой HTTP."),
    /// The response is not the JSON expected (truncated, malformed, missing fields).
    BadResponse = ("BAD_RESPONSE", 3005,
        "The WebTotem API sent a response that cannot be read.",
        "API WebTotem прислал ответ, который невозможно прочитать."),
    /// The response is larger than the client accepts.
    ResponseTooLarge = ("RESPONSE_TOO_LARGE", 3006,
        "The WebTotem API's response is larger than allowed.",
        "Ответ API WebTotem больше допустимого размера."),
    /// The API named an agent file that is not a safe plain file name.
    BadAgentName = ("BAD_AGENT_NAME", 3007,
        "The WebTotem API named an agent file that is not safe to use.",
        "API WebTotem указал небезопасное имя файла агента."),
    /// The connection settings are unusable (bad endpoint, bad CA certificate).
    BadConnection = ("BAD_CONNECTION", 3008,
        "The WebTotem API connection settings are invalid.",
        "Параметры подключения к API WebTotem неверны."),
}

impl fmt::Display for ApiErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ApiErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl ApiErrorCode {
    /// The code for an error message as the API sends it in
    /// `errors[0].message`. Codes are matched exactly; the G1 texts by the
    /// words the original client matched (any mention of a token is a token
    /// error, as the G1 client treated it). Anything else is
    /// [`ApiErrorCode::ServerError`].
    pub fn from_api_message(message: &str) -> ApiErrorCode {
        let m = message.trim();
        if let Some(code) = ApiErrorCode::ALL
            .iter()
            .find(|c| c.number() < 2000 && c.as_str() == m)
        {
            return *code;
        }
        let lower = m.to_ascii_lowercase();
        if lower.contains("password expired") {
            ApiErrorCode::PasswordExpired
        } else if lower.contains("token") {
            ApiErrorCode::InvalidToken
        } else if lower.contains("agent does not exist") {
            ApiErrorCode::AgentNotPending
        } else if lower.contains("invalid verify code") {
            ApiErrorCode::InvalidVerifyCode
        } else {
            ApiErrorCode::ServerError
        }
    }
}

/// One failure of the API client: a code and an optional detail (the API's
/// own message, the HTTP status, the transport's reason).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// What went wrong.
    pub code: ApiErrorCode,
    /// More about it, in English, when there is more to say.
    pub detail: Option<String>,
}

impl ApiError {
    /// An error with no detail.
    pub fn new(code: ApiErrorCode) -> Self {
        ApiError { code, detail: None }
    }

    /// An error with a detail.
    pub fn with(code: ApiErrorCode, detail: impl Into<String>) -> Self {
        ApiError {
            code,
            detail: Some(detail.into()),
        }
    }

    /// The English message with the detail, as the exception shows it.
    pub fn message(&self) -> String {
        match &self.detail {
            Some(d) if !d.is_empty() => format!("{} ({d})", self.code.message_en()),
            _ => self.code.message_en().to_string(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.code, self.message())
    }
}

impl std::error::Error for ApiError {}

impl From<ApiError> for crate::Error {
    fn from(e: ApiError) -> Self {
        crate::Error::Api {
            message: e.message(),
            code: e.code,
        }
    }
}

/// One row of [`error_table`]: what `webtotem_api_errors()` returns.
#[derive(Clone, Debug, Serialize)]
pub struct ErrorInfo {
    /// The code, e.g. `INVALID_API_KEY`.
    pub code: ApiErrorCode,
    /// Its number (the PHP exception's `getCode()`).
    pub number: i32,
    /// The English message.
    pub en: &'static str,
    /// The Russian message.
    pub ru: &'static str,
}

/// Every error code with its number and messages, for the Plesk module's
/// translations.
pub fn error_table() -> Vec<ErrorInfo> {
    ApiErrorCode::ALL
        .iter()
        .map(|&code| ErrorInfo {
            code,
            number: code.number(),
            en: code.message_en(),
            ru: code.message_ru(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_numbers_are_unique_and_messages_present() {
        let mut codes = HashSet::new();
        let mut numbers = HashSet::new();
        for c in ApiErrorCode::ALL {
            assert!(
                codes.insert(c.as_str()) && numbers.insert(c.number()),
                "{c}"
            );
            assert!(!c.message_en().is_empty() && !c.message_ru().is_empty());
            assert!(c.message_ru().chars().any(|ch| ('а'..='я').contains(&ch)));
        }
    }

    #[test]
    fn classifies_the_messages_the_api_sends() {
        use ApiErrorCode::*;
        for (msg, code) in [
            ("INVALID_API_KEY", InvalidApiKey),
            ("Invalid token", InvalidToken),
            ("INVALID_TOKEN", InvalidToken),
            ("jwt: Token expired", InvalidToken),
            ("HOSTS_LIMIT_EXCEEDED", HostsLimitExceeded),
            ("DUPLICATE_HOST", DuplicateHost),
            ("USER_ALREADY_REGISTERED", UserAlreadyRegistered),
            ("INVALID_DOMAIN_NAME", InvalidDomainName),
            ("RESOURCE_NOT_FOUND", ResourceNotFound),
            ("INVALID_CREDENTIALS", InvalidCredentials),
            ("API_KEY_DEACTIVATED", ApiKeyDeactivated),
            ("USERHOST_NOT_BELONG_TO_USER", UserhostNotBelongToUser),
            ("Password expired, change it", PasswordExpired),
            (
                "Agent does not exist or has been already verified",
                AgentNotPending,
            ),
            ("Invalid verify code", InvalidVerifyCode),
            ("Something else", ServerError),
            ("EMAIL_NOT_ALLOWED", ServerError),
        ] {
            assert_eq!(ApiErrorCode::from_api_message(msg), code, "{msg}");
        }
    }

    #[test]
    fn converts_to_the_core_error() {
        let e: crate::Error = ApiError::with(ApiErrorCode::HttpError, "HTTP 502").into();
        assert_eq!(e.kind(), crate::ErrorKind::Api);
        assert_eq!(e.code(), 3004);
        assert_eq!(
            e.to_string(),
            "[HTTP_ERROR] The WebTotem API answered with an HTTP error. (HTTP 502)"
        );
    }
}
