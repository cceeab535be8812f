//! The constant GraphQL documents of the G1 API, one per operation.
//!
//! Values never enter these texts: every value travels in the request's
//! `variables` object, built with serde. Where G1 takes an enum literal
//! whose type name is not known (`generateAgent`/`checkAgent`'s `service`),
//! there is one constant document per enum value, chosen by a Rust enum.
//! The emulator recognises the same documents by operation name.

/// API key → bearer token (no token needed).
pub const AUTH: &str = "mutation Auth($apiKey: String!) { apiServiceMutation { auth(apiKey: $apiKey) { value refreshToken expiresIn } } }";

/// Registration; the result is a JSON scalar.
pub const CREATE_USER: &str =
    "mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) }";

/// E-mail confirmation with the code the user received (no token needed).
pub const CONFIRM_FREE: &str =
    "mutation ConfirmFree($code: String!) { pleskMutation { confirmFree(code: $code) } }";

/// A page of the account's hosts with their services, and their count.
pub const HOSTS: &str = "query Hosts($first: Int, $after: Int, $filter: String, $category: Int) { userHostsList(first: $first, after: $after, filter: $filter, category: $category) { id title hostname stack createdAt services { id name configs { id data isActive } } } userHostsListCount(filter: $filter, category: $category) }";

/// One host with its services.
pub const HOST: &str = "query Host($id: Int!) { userHost(id: $id) { id title hostname stack createdAt services { id name configs { id data isActive } } } }";

/// Adds a host with the default service configurations.
pub const ADD_HOST: &str = "mutation AddUserHost($input: AddUserHostInput!) { addUserHost(input: $input) { id title hostname tags stack services { id name configs { id data isActive createdAt } } isActive createdAt } }";

/// Toggles (not sets) one service configuration of a host.
pub const TOGGLE_SERVICE_CONFIG: &str = "mutation ToggleServiceConfig($id: Int!, $hostId: Int!) { toggleServiceConfig(id: $id, userhostId: $hostId) { isActive } }";

/// Generates the WAF agent file; a JSON scalar with `agentName`.
pub const GENERATE_AGENT_WAF: &str =
    "query GenerateAgentWaf($hostId: Int!) { generateAgent(userHostId: $hostId, service: WAF) }";
/// Generates the antivirus (VC) agent file; a JSON scalar with `agentName`.
pub const GENERATE_AGENT_VC: &str =
    "query GenerateAgentVc($hostId: Int!) { generateAgent(userHostId: $hostId, service: VC) }";
/// Asks the cloud to verify the installed WAF agent; a JSON scalar with `installed`, `lockFor`.
pub const CHECK_AGENT_WAF: &str =
    "query CheckAgentWaf($hostId: Int!) { checkAgent(userHostId: $hostId, service: WAF) }";
/// Asks the cloud to verify the installed VC agent; a JSON scalar with `installed`, `lockFor`.
pub const CHECK_AGENT_VC: &str =
    "query CheckAgentVc($hostId: Int!) { checkAgent(userHostId: $hostId, service: VC) }";

/// Every module check of one host in one request (the G1 dashboard query).
/// `dateRange` is the last 24 hours, `dateRangeWaf` the last 7 days, in Unix seconds.
pub const HOST_CHECKS: &str = "query getAllChecks($hostId: Int!, $dateRange: DateRangeInput!, $dateRangeWaf: DateRangeInput!) { \
waServiceChecks(userHostId: $hostId) { config { id isActive } isDown status average(dateRange: $dateRange) responseTime(dateRange: $dateRange) testsResults(dateRange: $dateRange) } \
sslServiceChecks(userHostId: $hostId) { config { id isActive } status issued expires daysLeft tls } \
decServiceChecks(userHostId: $hostId) { config { id isActive } email daysLeft created expires registrar owner status } \
avServiceChecks(userHostId: $hostId) { config { id isActive } lastTestId lastTestTime status count list } \
cmsServiceChecks(userHostId: $hostId) { config { id isActive } lastTestId lastTestTime status count list } \
dcServiceChecks(userHostId: $hostId) { config { id isActive } lastTestTime status count list } \
psServiceChecks(userHostId: $hostId) { config { id isActive } ip lastTestId lastTestTime status count openTCPs openUDPs } \
wafServiceChecks(userHostId: $hostId) { config { id isActive } lastTestTime status count countIP chart(dateRange: $dateRangeWaf) { date count } } \
vcServiceChecks(userHostId: $hostId) { config { id isActive } status list fileChangesCount errorsCount signaturesCount } }";

/// The status of every module of every host of the account, one page of
/// each module's list per request: the overview costs one request per
/// `$first` hosts, whatever the number of modules.
pub const CHECKS_OVERVIEW: &str = "query ChecksOverview($first: Int, $after: Int) { \
waServiceChecks(first: $first, after: $after) { status config { id isActive userhost { id hostname } } } \
sslServiceChecks(first: $first, after: $after) { status config { id isActive userhost { id hostname } } } \
decServiceChecks(first: $first, after: $after) { status config { id isActive userhost { id hostname } } } \
avServiceChecks(first: $first, after: $after) { status config { id isActive userhost { id hostname } } } \
cmsServiceChecks(first: $first, after: $after) { status config { id isActive userhost { id hostname } } } \
dcServiceChecks(first: $first, after: $after) { status config { id isActive userhost { id hostname } } } \
psServiceChecks(first: $first, after: $after) { status config { id isActive userhost { id hostname } } } \
wafServiceChecks(first: $first, after: $after) { status config { id isActive userhost { id hostname } } } \
vcServiceChecks(first: $first, after: $after) { status config { id isActive userhost { id hostname } } } }";

/// Every operation: its name (as sent in `operationName`) and document.
pub const OPERATIONS: &[(&str, &str)] = &[
    ("Auth", AUTH),
    ("CreateUser", CREATE_USER),
    ("ConfirmFree", CONFIRM_FREE),
    ("Hosts", HOSTS),
    ("Host", HOST),
    ("AddUserHost", ADD_HOST),
    ("ToggleServiceConfig", TOGGLE_SERVICE_CONFIG),
    ("GenerateAgentWaf", GENERATE_AGENT_WAF),
    ("GenerateAgentVc", GENERATE_AGENT_VC),
    ("CheckAgentWaf", CHECK_AGENT_WAF),
    ("CheckAgentVc", CHECK_AGENT_VC),
    ("getAllChecks", HOST_CHECKS),
    ("ChecksOverview", CHECKS_OVERVIEW),
    ("UploadResearchSample", super::research::UPLOAD_SAMPLE),
    (
        "UploadResearchFirewallLog",
        super::research::UPLOAD_FIREWALL_LOG,
    ),
];

/// The operation name declared by `document` (`query Name(` / `mutation Name`).
pub fn operation_name(document: &str) -> Option<&str> {
    let rest = document
        .trim_start()
        .strip_prefix("query")
        .or_else(|| document.trim_start().strip_prefix("mutation"))?;
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_declares_its_operation_name_and_balances_braces() {
        for (name, doc) in OPERATIONS {
            assert_eq!(operation_name(doc), Some(*name));
            let mut depth = 0i32;
            for c in doc.chars() {
                match c {
                    '{' | '(' => depth += 1,
                    '}' | ')' => depth -= 1,
                    _ => {}
                }
                assert!(depth >= 0, "{name}");
            }
            assert_eq!(depth, 0, "{name}");
            assert!(!doc.contains('"'), "{name}: no literal values in documents");
        }
    }
}
