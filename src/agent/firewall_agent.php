<?php
/*
 * WebTotem Security firewall agent. Generated for this site by WebTotem;
 * do not edit. Included before the site's own code, it inspects every
 * request for SQL injection, XSS and other attacks, throttles floods, logs
 * what it stops, and answers the WebTotem server's signed log requests.
 * Any error inside it lets the request through: it never takes a site down.
 */

namespace WebTotem\FirewallAgent;

if (\class_exists(__NAMESPACE__ . '\Config', false)) {
    // Already loaded in this request (by index.php and .user.ini, say).
    return;
}

if (!\function_exists(__NAMESPACE__ . '\run')) {

/**
 * The agent's settings and fixed values. Class constants cost nothing per
 * request (opcache keeps them with the class), where each namespace
 * constant would be declared again on every request. Declared inside this
 * block, so only when it runs: a second include of the agent returns above
 * instead of failing on a class declared twice.
 */
final class Config
{
// @webtotem-config

    /** What a blocked visitor sees; %s is the request id. */
    const BLOCK_PAGE = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>403 Forbidden</title></head>\n<body><h1>Forbidden</h1>\n<p>This request was blocked by the site's firewall (WebTotem Security).</p>\n<p>If you think this is a mistake, contact the site's owner and quote this reference: <code>%s</code></p>\n</body></html>\n";
    /** What a client over the flood limit sees; %s is the request id. */
    const FLOOD_PAGE = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>429 Too Many Requests</title></head>\n<body><h1>Too Many Requests</h1>\n<p>Please slow down and try again in a minute. Reference: <code>%s</code></p>\n</body></html>\n";
    /** The longest value kept in a log line; longer ones are cut. */
    const LOG_VALUE_CAP = 256;
    /** At most this many fields of each kind in a log line. */
    const LOG_FIELDS_CAP = 32;
    /** A log answer carries at most this many bytes of lines. */
    const LOG_CHUNK_CAP = 262144;
    /** The width of a flood counter record ("window current previous", space-padded). */
    const FLOOD_RECORD = 64;
    /** Names of fields whose values are never logged. */
    const SECRET_NAME = '~pass|pwd|secret|token|auth|session|sess_?id|csrf|nonce|key|card|cvv|cvc|iban|ssn|otp|pin\b|credential|signature~i';
}

// @webtotem-common

/** Inspects this request; blocks it or lets it through. Never throws. */
function run()
{
    if (PHP_SAPI === 'cli' || !isset($_SERVER['REQUEST_METHOD'])) {
        return;
    }
    $started = microtime(true);
    set_error_handler(function ($severity, $message, $file, $line) {
        if (!(error_reporting() & $severity)) {
            return false; // silenced with @
        }
        throw new \ErrorException($message, 0, $severity, $file, $line);
    });
    try {
        handle($started);
    } catch (\Throwable $e) {
        // Fail open: the site goes on; the failure is written down.
        try {
            write_log(['type' => 'error', 'message' => substr(get_class($e) . ': ' . $e->getMessage(), 0, 512)]);
        } catch (\Throwable $ignored) {
        }
    } finally {
        restore_error_handler();
    }
}

/** The agent's work for one request. */
function handle($started)
{
    if (server_value('HTTP_X_WEBTOTEM_SIGNATURE') !== '') {
        serve_signed_request();
    }
    $ip = client_ip();
    if ((Config::ALLOW_IPS !== [] && ip_listed($ip, Config::ALLOW_IPS))
        || (Config::ALLOW_PATHS !== [] && path_allowed(server_value('REQUEST_URI')))) {
        return;
    }
    $flood = Config::FLOOD_REQUESTS > 0 ? flood_hit($ip) : 0;
    if ($flood > 0 && Config::MODE === 'block') {
        $id = request_id();
        if ($flood === 1) {
            write_log(event($id, $ip, 'throttled', ['blocked' => true, 'score' => 0, 'class' => 'flood', 'rules' => [], 'matches' => []], 'none', $started));
        }
        deny(429, Config::FLOOD_PAGE, $id);
    }
    $request = build_request($ip);
    $engine = 'pcre';
    $verdict = null;
    if (\function_exists('webtotem_waf_inspect')) {
        try {
            $verdict = \webtotem_waf_inspect($request, Config::NATIVE_OPTIONS);
            $engine = 'native';
        } catch (\Throwable $e) {
            $verdict = null;
        }
    }
    if ($verdict === null) {
        $verdict = inspect($request);
    }
    if ($verdict['score'] <= 0) {
        return;
    }
    $id = request_id();
    $blocking = $verdict['blocked'] && Config::MODE === 'block';
    $action = $verdict['blocked'] ? ($blocking ? 'blocked' : 'monitored') : 'scored';
    write_log(event($id, $ip, $action, $verdict, $engine, $started, $request));
    if ($blocking) {
        deny(403, Config::BLOCK_PAGE, $id);
    }
}

/** A new request id (only requests that are logged or stopped need one). */
function request_id()
{
    return bin2hex(random_bytes(8));
}

/** Ends the request with an error page carrying the request id. */
function deny($status, $page, $id)
{
    while (ob_get_level() > 0) {
        @ob_end_clean();
    }
    if (!headers_sent()) {
        http_response_code($status);
        header('Content-Type: text/html; charset=utf-8');
        header('Cache-Control: no-store');
        header('X-WebTotem-Request-Id: ' . $id);
        if ($status === 429) {
            header('Retry-After: ' . Config::FLOOD_WINDOW);
        }
        header_remove('X-Powered-By');
    }
    printf($page, $id);
    exit;
}

// ---- The request, as the native engine reads it (webtotem_waf_inspect). ----

/** The request array of the client at `$ip`: method, uri, headers, cookies, query, post, body, files, ip. */
function build_request($ip)
{
    $headers = request_headers();
    $type = isset($headers['content-type']) ? $headers['content-type'] : '';
    $body = '';
    // Only a request that says it has a body has one to read (opening
    // php://input costs more than the rest of this function).
    $announced = (isset($headers['content-length']) && $headers['content-length'] !== '0')
        || isset($headers['transfer-encoding']);
    if ($announced && stripos($type, 'multipart/form-data') === false) {
        $read = @file_get_contents('php://input', false, null, 0, Config::MAX_BODY_BYTES + 1);
        $body = is_string($read) ? $read : '';
    }
    $files = [];
    foreach ($_FILES as $field) {
        if (is_array($field) && isset($field['name'])) {
            collect_names($field['name'], $files);
        }
    }
    return [
        'method' => server_value('REQUEST_METHOD'),
        'uri' => server_value('REQUEST_URI'),
        'headers' => $headers,
        'cookies' => $_COOKIE,
        'query' => $_GET,
        'post' => $_POST,
        'body' => $body,
        'files' => $files,
        'ip' => $ip,
    ];
}

/**
 * The request headers, names in lower case: from the server API
 * (getallheaders(): PHP-FPM, Apache, LiteSpeed, php -S), which is far
 * cheaper than walking $_SERVER, else from $_SERVER's HTTP_* entries.
 */
function request_headers()
{
    if (\function_exists('getallheaders')) {
        $all = getallheaders();
        if (is_array($all)) {
            $headers = array_change_key_case($all, CASE_LOWER);
            // The body's type and length as PHP itself read them, should
            // a server API leave them out.
            foreach (['CONTENT_TYPE' => 'content-type', 'CONTENT_LENGTH' => 'content-length'] as $var => $name) {
                if (!isset($headers[$name]) && isset($_SERVER[$var]) && is_string($_SERVER[$var])) {
                    $headers[$name] = $_SERVER[$var];
                }
            }
            return $headers;
        }
    }
    $headers = [];
    foreach ($_SERVER as $name => $value) {
        if (!is_string($value)) {
            continue;
        }
        if (strncmp($name, 'HTTP_', 5) === 0) {
            $headers[strtr(ascii_lower(substr($name, 5)), '_', '-')] = $value;
        } elseif ($name === 'CONTENT_TYPE' || $name === 'CONTENT_LENGTH') {
            $headers[strtr(ascii_lower($name), '_', '-')] = $value;
        }
    }
    return $headers;
}

/** Uploaded file names, also from nested `file[]` fields. */
function collect_names($names, array &$out)
{
    if (is_array($names)) {
        foreach ($names as $n) {
            collect_names($n, $out);
        }
    } elseif (is_string($names) && $names !== '') {
        $out[] = $names;
    }
}

/** The client's address: REMOTE_ADDR, or the last hop of X-Forwarded-For behind a trusted proxy. */
function client_ip()
{
    $ip = server_value('REMOTE_ADDR');
    if (Config::TRUSTED_PROXIES !== [] && ip_listed($ip, Config::TRUSTED_PROXIES)) {
        $hops = array_map('trim', explode(',', server_value('HTTP_X_FORWARDED_FOR')));
        $last = end($hops);
        if (is_string($last) && @inet_pton($last) !== false) {
            return $last;
        }
    }
    return $ip;
}

/** Whether `$ip` is in one of the networks (each [packed address in hex, prefix bits]). */
function ip_listed($ip, array $networks)
{
    $packed = @inet_pton($ip);
    if ($packed === false) {
        return false;
    }
    foreach ($networks as $net) {
        $base = hex2bin($net[0]);
        if (strlen($base) !== strlen($packed)) {
            continue;
        }
        $bits = $net[1];
        $bytes = intdiv($bits, 8);
        if (substr($packed, 0, $bytes) !== substr($base, 0, $bytes)) {
            continue;
        }
        $rest = $bits % 8;
        if ($rest === 0) {
            return true;
        }
        $mask = (0xff << (8 - $rest)) & 0xff;
        if ((ord($packed[$bytes]) & $mask) === (ord($base[$bytes]) & $mask)) {
            return true;
        }
    }
    return false;
}

/** Whether the path of `$uri` is an allow-listed path or below one (whole segments: /health, not /healthy). */
function path_allowed($uri)
{
    $q = strpos($uri, '?');
    $path = $q === false ? $uri : substr($uri, 0, $q);
    foreach (Config::ALLOW_PATHS as $prefix) {
        $n = strlen($prefix);
        if (strncmp($path, $prefix, $n) === 0
            && (strlen($path) === $n || $prefix[$n - 1] === '/' || $path[$n] === '/')) {
            return true;
        }
    }
    return false;
}

// ---- Flood limits: a sliding window per client address. ----

/**
 * Counts this request of `$ip`: 0 within the flood limit, 1 over it for
 * the first time in this window (the one request that is logged), 2 over
 * it again. In the extension's counters, which the server's PHP workers
 * share, when it is loaded; else in APCu or in files.
 */
function flood_hit($ip)
{
    if (\function_exists('webtotem_flood_hit')) {
        try {
            $hit = \webtotem_flood_hit(Config::STATE_DIR_NAME . '|' . $ip, Config::FLOOD_REQUESTS, Config::FLOOD_WINDOW);
            if ($hit !== null) {
                return $hit;
            }
        } catch (\Throwable $e) {
            // Counted below instead.
        }
    }
    if (!flooding($ip)) {
        return 0;
    }
    return flood_first_in_window($ip) ? 1 : 2;
}

/**
 * Counts this request for `$ip`; true when the client is over
 * FLOOD_REQUESTS in the last FLOOD_WINDOW seconds (a sliding window:
 * this window's count plus the previous one's, weighted by how much of
 * it still overlaps).
 */
function flooding($ip)
{
    $now = microtime(true);
    $window = (int) floor($now / Config::FLOOD_WINDOW);
    $elapsed = ($now - $window * Config::FLOOD_WINDOW) / Config::FLOOD_WINDOW;
    $key = 'wtfw-' . substr(hash('sha256', Config::STATE_DIR_NAME . '|' . $ip), 0, 32);
    if (\function_exists('apcu_inc') && \function_exists('apcu_enabled') && @apcu_enabled()) {
        $current = apcu_inc($key . '-' . $window, 1, $ok, 2 * Config::FLOOD_WINDOW);
        $previous = apcu_fetch($key . '-' . ($window - 1));
        $previous = is_int($previous) ? $previous : 0;
        return is_int($current) && $previous * (1 - $elapsed) + $current > Config::FLOOD_REQUESTS;
    }
    $dir = state_dir();
    if ($dir === null) {
        return false;
    }
    $sub = $dir . '/flood';
    if (!is_dir($sub) && !@mkdir($sub, 0700) && !is_dir($sub)) {
        return false;
    }
    $file = @fopen($sub . '/' . $key, 'c+');
    if ($file === false) {
        return false;
    }
    try {
        if (!flock($file, LOCK_EX)) {
            return false;
        }
        $parts = explode(' ', trim((string) fread($file, Config::FLOOD_RECORD)));
        $seen = count($parts) === 3 ? (int) $parts[0] : $window;
        $current = count($parts) === 3 ? (int) $parts[1] : 0;
        $previous = count($parts) === 3 ? (int) $parts[2] : 0;
        if ($seen !== $window) {
            $previous = $seen === $window - 1 ? $current : 0;
            $current = 0;
        }
        $current++;
        // Rewritten in place at a fixed width: truncating the file first
        // costs far more than the rest of the request on ext4.
        rewind($file);
        fwrite($file, str_pad($window . ' ' . $current . ' ' . $previous, Config::FLOOD_RECORD));
        flock($file, LOCK_UN);
    } finally {
        fclose($file);
    }
    if (mt_rand(1, 1000) === 1) {
        sweep_flood_counters($sub);
    }
    return $previous * (1 - $elapsed) + $current > Config::FLOOD_REQUESTS;
}

/** Whether this is the first throttled request of `$ip` in this window (so floods are logged once). */
function flood_first_in_window($ip)
{
    $window = (int) floor(microtime(true) / Config::FLOOD_WINDOW);
    $key = 'wtfw-logged-' . substr(hash('sha256', Config::STATE_DIR_NAME . '|' . $ip), 0, 32) . '-' . $window;
    if (\function_exists('apcu_add') && \function_exists('apcu_enabled') && @apcu_enabled()) {
        return apcu_add($key, 1, 2 * Config::FLOOD_WINDOW);
    }
    $dir = state_dir();
    if ($dir === null) {
        return true;
    }
    $file = @fopen($dir . '/flood/' . $key, 'x');
    if ($file === false) {
        return false;
    }
    fclose($file);
    return true;
}

/** Removes counters older than two windows. */
function sweep_flood_counters($dir)
{
    $now = time();
    foreach ((array) @scandir($dir) as $name) {
        if (strncmp((string) $name, 'wtfw-', 5) === 0) {
            $mtime = @filemtime($dir . '/' . $name);
            if ($mtime !== false && $now - $mtime > 2 * Config::FLOOD_WINDOW) {
                @unlink($dir . '/' . $name);
            }
        }
    }
}

// ---- The log: JSON lines, capped and rotated, never holding secrets. ----

/** The log file's path. */
function log_path()
{
    $dir = state_dir();
    return $dir === null ? null : $dir . '/firewall.log';
}

/** Appends one event as a JSON line, starting a new file (rotating the old) when full. */
function write_log(array $event)
{
    $path = log_path();
    if ($path === null) {
        return;
    }
    $line = json_encode($event, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE | JSON_PARTIAL_OUTPUT_ON_ERROR);
    if (!is_string($line)) {
        return;
    }
    $line .= "\n";
    $lock = @fopen($path . '.lock', 'c');
    if ($lock === false) {
        return;
    }
    try {
        flock($lock, LOCK_EX);
        clearstatcache(true, $path);
        $size = @filesize($path);
        if ($size === false || $size === 0 || $size + strlen($line) > Config::LOG_MAX_BYTES) {
            if ($size !== false && $size > 0) {
                rotate_logs($path);
            }
            $header = json_encode(['type' => 'start', 'log_id' => bin2hex(random_bytes(8)), 'ts' => time(), 'agent' => Config::VERSION]) . "\n";
            @file_put_contents($path, $header, LOCK_EX);
        }
        @file_put_contents($path, $line, FILE_APPEND);
    } finally {
        flock($lock, LOCK_UN);
        fclose($lock);
    }
}

/** firewall.log → .1 → .2 …, keeping LOG_KEEP old files. */
function rotate_logs($path)
{
    @unlink($path . '.' . Config::LOG_KEEP);
    for ($i = Config::LOG_KEEP - 1; $i >= 1; $i--) {
        if (is_file($path . '.' . $i)) {
            @rename($path . '.' . $i, $path . '.' . ($i + 1));
        }
    }
    if (Config::LOG_KEEP > 0) {
        @rename($path, $path . '.1');
    } else {
        @unlink($path);
    }
}

/** One log event for a request. */
function event($id, $ip, $action, array $verdict, $engine, $started, $request = null)
{
    $event = [
        'type' => 'request',
        'id' => $id,
        'ts' => time(),
        'ip' => $ip,
        'action' => $action,
        'class' => $verdict['class'],
        'score' => $verdict['score'],
        'rules' => $verdict['rules'],
        'matches' => [],
        'method' => cap(server_value('REQUEST_METHOD')),
        'host' => cap(server_value('HTTP_HOST')),
        'uri' => cap(mask_query(server_value('REQUEST_URI'))),
        'user_agent' => cap(server_value('HTTP_USER_AGENT')),
        'engine' => $engine,
        'mode' => Config::MODE,
        'ms' => round((microtime(true) - $started) * 1000, 3),
    ];
    foreach (array_slice($verdict['matches'], 0, Config::LOG_FIELDS_CAP) as $m) {
        $event['matches'][] = ['rule' => $m['rule'], 'target' => $m['target'], 'name' => cap($m['name'])];
    }
    if ($request !== null) {
        // Objects, so that JSON has {} and not [] for no fields (or for
        // fields named 0, 1, 2…).
        $event['args'] = (object) masked_fields(array_merge(flat($request['query']), flat($request['post'])));
        $event['cookies'] = array_slice(array_map('strval', array_keys($request['cookies'])), 0, Config::LOG_FIELDS_CAP);
        $headers = [];
        foreach ($request['headers'] as $name => $value) {
            if (count($headers) >= Config::LOG_FIELDS_CAP) {
                break;
            }
            $headers[$name] = in_array($name, ['cookie', 'authorization', 'proxy-authorization', 'x-api-key', 'x-auth-token', 'x-csrf-token', 'x-xsrf-token', 'x-webtotem-signature'], true)
                || preg_match(Config::SECRET_NAME, $name) ? '***' : cap($value);
        }
        $event['headers'] = (object) $headers;
        $event['files'] = array_slice(array_map('WebTotem\FirewallAgent\cap', $request['files']), 0, Config::LOG_FIELDS_CAP);
    }
    return $event;
}

/** A value cut to LOG_VALUE_CAP bytes. */
function cap($value)
{
    $value = (string) $value;
    return strlen($value) > Config::LOG_VALUE_CAP ? substr($value, 0, Config::LOG_VALUE_CAP) . '…' : $value;
}

/** name => value pairs of a PHP array, named a[b][c]. */
function flat($tree, $prefix = null)
{
    $out = [];
    if (!is_array($tree)) {
        return $out;
    }
    foreach ($tree as $k => $v) {
        $name = $prefix === null ? (string) $k : $prefix . '[' . $k . ']';
        if (is_array($v)) {
            $out = array_merge($out, flat($v, $name));
        } else {
            $out[$name] = is_scalar($v) ? (string) $v : '';
        }
        if (count($out) > Config::LOG_FIELDS_CAP) {
            break;
        }
    }
    return $out;
}

/** Fields for the log: values of secret-looking names masked, the rest cut. */
function masked_fields(array $fields)
{
    $out = [];
    foreach (array_slice($fields, 0, Config::LOG_FIELDS_CAP, true) as $name => $value) {
        $out[cap($name)] = preg_match(Config::SECRET_NAME, (string) $name) ? '***' : cap($value);
    }
    return $out;
}

/** The URI with the values of secret-looking query parameters masked. */
function mask_query($uri)
{
    $q = strpos($uri, '?');
    if ($q === false) {
        return $uri;
    }
    $pairs = explode('&', substr($uri, $q + 1));
    foreach ($pairs as $i => $pair) {
        $eq = strpos($pair, '=');
        if ($eq !== false && preg_match(Config::SECRET_NAME, urldecode(substr($pair, 0, $eq)))) {
            $pairs[$i] = substr($pair, 0, $eq) . '=***';
        }
    }
    return substr($uri, 0, $q + 1) . implode('&', $pairs);
}

// ---- Signed requests from the WebTotem server. ----

/** Answers a signed request and ends it; returns when the request is not one. */
function serve_signed_request()
{
    try {
        $request = authenticate();
    } catch (\Throwable $e) {
        $request = null;
    }
    if ($request === null) {
        return;
    }
    $body = json_decode($request['body'], true);
    $action = is_array($body) && isset($body['action']) ? $body['action'] : null;
    if ($action === 'ping') {
        respond(200, ping(), $request['nonce']);
    }
    if ($action === 'log') {
        respond(200, read_log($body), $request['nonce']);
    }
    respond(400, ['ok' => false, 'error' => 'unknown action'], $request['nonce']);
}

/** The `ping` answer. */
function ping()
{
    return [
        'ok' => true,
        'agent' => 'firewall',
        'version' => Config::VERSION,
        'php' => PHP_VERSION,
        'native' => \function_exists('webtotem_waf_inspect'),
        'mode' => Config::MODE,
        'paranoia' => Config::PARANOIA,
        'rules' => count(Config::RULES),
        'rule_errors' => rule_errors(),
    ];
}

/**
 * The `log` answer: whole lines of log `log_id` from byte `offset` on, at
 * most `max_bytes`. Logs are chained: when one was rotated away, the
 * answer goes on in the next one at `next`, so a collector that always
 * asks for `next` reads every line once. An unknown `log_id` (rotated out
 * of reach) starts at the oldest log kept, with `lost` set.
 */
function read_log(array $body)
{
    $path = log_path();
    $max = isset($body['max_bytes']) && is_int($body['max_bytes']) ? max(1024, min(Config::LOG_CHUNK_CAP, $body['max_bytes'])) : Config::LOG_CHUNK_CAP;
    $offset = isset($body['offset']) && is_int($body['offset']) && $body['offset'] >= 0 ? $body['offset'] : 0;
    $want = isset($body['log_id']) && is_string($body['log_id']) ? $body['log_id'] : '';
    $empty = ['ok' => true, 'log_id' => null, 'offset' => 0, 'data' => '', 'next' => ['log_id' => null, 'offset' => 0], 'lost' => false];
    if ($path === null) {
        return $empty;
    }
    $lock = @fopen($path . '.lock', 'c');
    if ($lock !== false) {
        flock($lock, LOCK_SH);
    }
    try {
        // Oldest first: firewall.log.LOG_KEEP … firewall.log.1, firewall.log.
        $chain = [];
        for ($i = Config::LOG_KEEP; $i >= 0; $i--) {
            $file = $i === 0 ? $path : $path . '.' . $i;
            $id = log_id_of($file);
            if ($id !== null) {
                $chain[] = [$id, $file];
            }
        }
        if ($chain === []) {
            return $empty;
        }
        $at = null;
        foreach ($chain as $k => $link) {
            if ($link[0] === $want) {
                $at = $k;
            }
        }
        $lost = false;
        if ($at === null) {
            $lost = $want !== '';
            $at = 0;
            $offset = 0;
        }
        list($id, $file) = $chain[$at];
        clearstatcache(true, $file);
        $size = (int) @filesize($file);
        $offset = min($offset, $size);
        $data = $offset < $size ? (string) @file_get_contents($file, false, null, $offset, $max) : '';
        $end = strrpos($data, "\n");
        $data = $end === false ? '' : substr($data, 0, $end + 1);
        $next = ['log_id' => $id, 'offset' => $offset + strlen($data)];
        if ($next['offset'] >= $size && isset($chain[$at + 1])) {
            $next = ['log_id' => $chain[$at + 1][0], 'offset' => 0];
        }
        return ['ok' => true, 'log_id' => $id, 'offset' => $offset, 'data' => $data, 'next' => $next, 'lost' => $lost];
    } finally {
        if ($lock !== false) {
            flock($lock, LOCK_UN);
            fclose($lock);
        }
    }
}

/** The log_id in the first line of a log file, or null. */
function log_id_of($path)
{
    $file = @fopen($path, 'r');
    if ($file === false) {
        return null;
    }
    $first = fgets($file, 4096);
    fclose($file);
    $start = is_string($first) ? json_decode($first, true) : null;
    return is_array($start) && isset($start['log_id']) && is_string($start['log_id']) ? $start['log_id'] : null;
}

// ---- The PCRE engine: the native engine's twin, for sites without the extension. ----

/**
 * The value at node `$node` of the pipeline tree (STEPS) for the input
 * `$value` (whose changes() are `$changes`), and the node that first held
 * the same bytes (-1: the input itself). What is computed is kept in
 * `$values` by node; steps that leave a value as it was lead different
 * nodes to the same bytes, so `$values['t']` keeps each transformation's
 * result by the node holding the bytes it was given, and each is done once.
 */
function step_value($node, $value, $changes, array &$values)
{
    if ($node < 0) {
        return [$value, -1];
    }
    if (isset($values[$node])) {
        return $values[$node];
    }
    $from = $value;
    $source = -1;
    // The steps from the root to the node, in a loop rather than recursion.
    foreach (Config::STEP_PATHS[$node] as $n) {
        if (isset($values[$n])) {
            list($from, $source) = $values[$n];
            continue;
        }
        list(, $name, $bit) = Config::STEPS[$n];
        if ($source === -1 && $bit !== 0 && ($changes & $bit) === 0) {
            // changes() tells that it leaves the input as it is.
            $values[$n] = [$from, -1];
        } elseif (isset($values['t'][$name][$source])) {
            list($from, $source) = $values[$n] = $values['t'][$name][$source];
        } else {
            $to = transform($name, $from);
            list($from, $source) = $values[$n] = $values['t'][$name][$source] = [$to, $to === $from ? $source : $n];
        }
    }
    return $values[$node];
}

/** Where rule `$i` matched. */
function match_of($i, $target, $name)
{
    $rule = Config::RULES[$i];
    return ['rule' => $rule['id'], 'class' => $rule['class'], 'score' => $rule['score'], 'target' => $target, 'name' => $name];
}

/** ASCII lower case, whatever the locale. */
function ascii_lower($s)
{
    // strtolower() ignores the locale from PHP 8.2 on, and is faster.
    return PHP_VERSION_ID >= 80200 ? strtolower($s) : strtr($s, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
}

/** Code point `$cp` (a checked scalar value) as UTF-8; full-width forms as ASCII. */
function utf8_chr($cp)
{
    return utf8_encode_cp($cp >= 0xFF01 && $cp <= 0xFF5E ? $cp - 0xFEE0 : $cp);
}

/** Code point `$cp` (a checked scalar value) as UTF-8. */
function utf8_encode_cp($cp)
{
    if ($cp < 0x80) {
        return chr($cp);
    }
    if ($cp < 0x800) {
        return chr(0xC0 | ($cp >> 6)) . chr(0x80 | ($cp & 0x3F));
    }
    if ($cp < 0x10000) {
        return chr(0xE0 | ($cp >> 12)) . chr(0x80 | (($cp >> 6) & 0x3F)) . chr(0x80 | ($cp & 0x3F));
    }
    return chr(0xF0 | ($cp >> 18)) . chr(0x80 | (($cp >> 12) & 0x3F)) . chr(0x80 | (($cp >> 6) & 0x3F)) . chr(0x80 | ($cp & 0x3F));
}

/** Whether `$cp` is a Unicode scalar value. */
function is_scalar_cp($cp)
{
    return $cp <= 0x10FFFF && ($cp < 0xD800 || $cp > 0xDFFF);
}

/** One transformation (see src/firewall/transform.rs for their definitions). */
function transform($name, $v)
{
    switch ($name) {
        case 'url_decode':
            for ($round = 0; $round < Config::URL_DECODE_ROUNDS; $round++) {
                if (strpos($v, '%') === false && strpos($v, '+') === false) {
                    break;
                }
                // Without %u escapes this is what urldecode() does, in C.
                $next = stripos($v, '%u') === false ? urldecode($v) : preg_replace_callback('~%(?:([0-9a-fA-F]{2})|[uU]([0-9a-fA-F]{4}))|\+~', function ($m) {
                    if ($m[0] === '+') {
                        return ' ';
                    }
                    if (isset($m[1]) && $m[1] !== '') {
                        return chr(hexdec($m[1]));
                    }
                    $cp = hexdec($m[2]);
                    return is_scalar_cp($cp) ? utf8_chr($cp) : $m[0];
                }, $v);
                if ($next === $v) {
                    break;
                }
                $v = $next;
            }
            return $v;
        case 'html_entity_decode':
            if (strpos($v, '&') === false) {
                return $v;
            }
            return preg_replace_callback('~&(?:#([xX])([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([A-Za-z0-9]{1,16}))(;?)~', function ($m) {
                if ($m[2] !== '' || $m[3] !== '') {
                    $cp = $m[2] !== '' ? hexdec($m[2]) : (int) $m[3];
                    if (!is_scalar_cp($cp)) {
                        return $m[0];
                    }
                    return utf8_encode_cp($cp);
                }
                $name = $m[4];
                if (!isset(Config::NAMED_ENTITIES[$name])) {
                    return $m[0];
                }
                $legacy = in_array($name, ['lt', 'gt', 'amp', 'quot', 'LT', 'GT', 'AMP', 'QUOT'], true);
                if ($m[5] === '' && !$legacy) {
                    return $m[0];
                }
                return Config::NAMED_ENTITIES[$name];
            }, $v);
        case 'js_decode':
            if (strpos($v, '\\') === false) {
                return $v;
            }
            return preg_replace_callback('~\\\\(?:[xX]([0-9a-fA-F]{2})|([uU])([0-9a-fA-F]{4})|(.))~s', function ($m) {
                if ($m[1] !== '') {
                    return chr(hexdec($m[1]));
                }
                if (isset($m[3]) && $m[3] !== '') {
                    $cp = hexdec($m[3]);
                    return is_scalar_cp($cp) ? utf8_chr($cp) : $m[2] . $m[3];
                }
                $map = ['a' => "\x07", 'b' => "\x08", 'f' => "\x0c", 'n' => "\n", 'r' => "\r", 't' => "\t", 'v' => "\x0b"];
                return isset($map[$m[4]]) ? $map[$m[4]] : $m[4];
            }, $v);
        case 'lowercase':
            return ascii_lower($v);
        case 'remove_comments':
            if (strpos($v, '/*') === false && strpos($v, '*/') === false) {
                return $v;
            }
            return preg_replace('~/\*!\d*|/\*.*?(?:\*/|\z)|\*/~s', ' ', $v);
        case 'compress_whitespace':
            if (preg_match('~[\t\n\x0B\f\r]|  ~', $v) !== 1) {
                return $v;
            }
            return preg_replace('~[\t\n\x0B\f\r ]+~', ' ', $v);
        case 'remove_whitespace':
            if (preg_match('~[\t\n\x0B\f\r ]~', $v) !== 1) {
                return $v;
            }
            return str_replace(["\t", "\n", "\x0B", "\f", "\r", ' '], '', $v);
        case 'remove_nulls':
            return strpos($v, "\0") === false ? $v : str_replace("\0", '', $v);
        case 'normalize_path':
            if (strpos($v, '/') === false && strpos($v, '\\') === false) {
                return $v;
            }
            $v = preg_replace('~/+~', '/', str_replace('\\', '/', $v));
            while (($at = strpos($v, '/./')) !== false) {
                $v = substr($v, 0, $at) . substr($v, $at + 2);
            }
            if (substr($v, -2) === '/.') {
                $v = substr($v, 0, -1);
            }
            return $v;
        case 'cmd_line':
            if (preg_match('~[\\\\"\'^,;\t\n\x0B\f\r ]~', $v) !== 1) {
                return ascii_lower($v);
            }
            $v = str_replace(['\\', '"', "'", '^'], '', $v);
            $v = preg_replace('~[\t\n\x0B\f\r ,;]+~', ' ', $v);
            return ascii_lower(str_replace([' /', ' ('], ['/', '('], $v));
    }
    throw new \RuntimeException('unknown transformation ' . $name);
}

/** Percent-decoding of %XX, and + as a space when `$plus`; malformed escapes kept (as urldecode() and rawurldecode() do). */
function percent_decode($s, $plus)
{
    return $plus ? urldecode($s) : rawurldecode($s);
}

/** The inputs rules read, as the native engine lists them (src/firewall/request.rs). */
final class Inputs
{
    /** @var list<array{0: string, 1: string, 2: string}> target, name, value */
    public $list = [];
    public $truncated = false;

    public function push($target, $name, $value)
    {
        if (count($this->list) >= Config::MAX_INPUTS) {
            $this->truncated = true;
            return;
        }
        if (strlen($value) > Config::MAX_VALUE_BYTES) {
            $this->truncated = true;
            $value = substr($value, 0, Config::MAX_VALUE_BYTES);
        }
        $this->list[] = [$target, $name, $value];
    }

    public function field($names, $values, $name, $value)
    {
        if (strlen($value) <= Config::MAX_VALUE_BYTES && strlen($name) <= Config::MAX_VALUE_BYTES
            && count($this->list) + 2 <= Config::MAX_INPUTS) {
            // What the two pushes do for a field within every limit, without their calls.
            $this->list[] = [$names, $name, $name];
            $this->list[] = [$values, $name, $value];
            return;
        }
        $this->push($names, $name, $name);
        $this->push($values, $name, $value);
    }

    public function tree($names, $values, $tree)
    {
        if (!is_array($tree)) {
            return;
        }
        foreach ($tree as $k => $v) {
            if (is_string($v)) {
                // What entry() does with a string, one call sooner.
                $this->field($names, $values, (string) $k, $v);
            } else {
                $this->entry($names, $values, (string) $k, $v);
            }
        }
    }

    private function entry($names, $values, $name, $v)
    {
        if (is_array($v)) {
            foreach ($v as $k => $child) {
                $this->entry($names, $values, $name . '[' . $k . ']', $child);
            }
        } else {
            $this->field($names, $values, $name, scalar_string($v));
        }
    }

    public function urlencoded($names, $values, $text)
    {
        foreach (explode('&', $text) as $pair) {
            if ($pair === '') {
                continue;
            }
            $eq = strpos($pair, '=');
            $name = $eq === false ? $pair : substr($pair, 0, $eq);
            $value = $eq === false ? '' : substr($pair, $eq + 1);
            $this->field($names, $values, percent_decode($name, true), percent_decode($value, true));
        }
    }
}

/** A scalar as PHP casts it to a string. */
function scalar_string($v)
{
    if ($v === true) {
        return '1';
    }
    if ($v === false || $v === null) {
        return '';
    }
    return is_scalar($v) ? (string) $v : '';
}

/** The depth of the deepest array or object of a JSON text, counted on its brackets outside strings. */
function json_depth($text)
{
    $depth = 0;
    $deepest = 0;
    $len = strlen($text);
    $in = false;
    for ($i = 0; $i < $len; $i++) {
        $c = $text[$i];
        if ($in) {
            if ($c === '\\') {
                $i++;
            } elseif ($c === '"') {
                $in = false;
            }
            continue;
        }
        if ($c === '"') {
            $in = true;
        } elseif ($c === '[' || $c === '{') {
            $depth++;
            if ($depth > $deepest) {
                $deepest = $depth;
            }
        } elseif ($c === ']' || $c === '}') {
            $depth = max(0, $depth - 1);
        }
    }
    return $deepest;
}

/** Every input of a request array, in the native engine's order and within its limits. */
function inputs(array $r)
{
    $in = new Inputs();
    $uri = isset($r['uri']) ? (string) $r['uri'] : '';
    $in->push('method', '', isset($r['method']) ? (string) $r['method'] : '');
    $q = strpos($uri, '?');
    $in->push('path', '', percent_decode($q === false ? $uri : substr($uri, 0, $q), false));
    $in->push('uri', '', $uri);
    if (array_key_exists('query', $r)) {
        $in->tree('arg_names', 'args', $r['query']);
    } elseif ($q !== false) {
        $in->urlencoded('arg_names', 'args', substr($uri, $q + 1));
    }
    $headers = [];
    foreach (isset($r['headers']) ? $r['headers'] : [] as $name => $value) {
        $name = ascii_lower((string) $name);
        if (is_string($value)) {
            $headers[] = [$name, $value];
            continue;
        }
        foreach (is_array($value) ? $value : [$value] as $v) {
            $headers[] = [$name, scalar_string($v)];
        }
    }
    $type = '';
    foreach ($headers as $h) {
        if ($h[0] === 'content-type') {
            $type = $h[1];
            break;
        }
    }
    $semi = strpos($type, ';');
    $media = ascii_lower(trim($semi === false ? $type : substr($type, 0, $semi), " \t\n\r\f"));
    $body = isset($r['body']) ? (string) $r['body'] : '';
    if (strlen($body) > Config::MAX_BODY_BYTES) {
        $in->truncated = true;
        $body = substr($body, 0, Config::MAX_BODY_BYTES);
    }
    $post = array_key_exists('post', $r);
    if ($post) {
        $in->tree('arg_names', 'args', $r['post']);
    }
    $json = $media === 'application/json' || $media === 'text/json' || substr($media, -5) === '+json';
    if ($media === 'application/x-www-form-urlencoded') {
        if (!$post) {
            $in->urlencoded('arg_names', 'args', $body);
        }
    } elseif ($media === 'multipart/form-data') {
        if (!$post) {
            $boundary = multipart_boundary($type);
            if ($boundary !== null) {
                foreach (multipart_parts($body, $boundary) as $part) {
                    if ($part[1] !== null) {
                        $in->push('files', '', $part[1]);
                    } else {
                        $in->field('arg_names', 'args', $part[0], $part[2]);
                    }
                }
            } elseif ($body !== '') {
                $in->push('body', '', $body);
            }
        }
    } elseif ($json) {
        if ($body !== '') {
            $value = json_depth($body) <= Config::MAX_JSON_DEPTH ? json_decode($body, false, 512) : null;
            if ($value === null && (json_depth($body) > Config::MAX_JSON_DEPTH || json_last_error() !== JSON_ERROR_NONE)) {
                $in->push('body', '', $body);
            } else {
                json_inputs($in, $value, '');
            }
        }
    } elseif ($body !== '') {
        $in->push('body', '', $body);
    }
    foreach (isset($r['files']) ? (array) $r['files'] : [] as $name) {
        if (is_string($name) && $name !== '') {
            $in->push('files', '', $name);
        }
    }
    if (array_key_exists('cookies', $r)) {
        $in->tree('cookie_names', 'cookies', $r['cookies']);
    } else {
        foreach ($headers as $h) {
            if ($h[0] !== 'cookie') {
                continue;
            }
            foreach (explode(';', $h[1]) as $pair) {
                $pair = trim($pair, " \t\n\r\f");
                if ($pair === '') {
                    continue;
                }
                $eq = strpos($pair, '=');
                $in->field('cookie_names', 'cookies', $eq === false ? $pair : substr($pair, 0, $eq), percent_decode($eq === false ? '' : substr($pair, $eq + 1), true));
            }
        }
    }
    foreach ($headers as $h) {
        if ($h[0] !== 'cookie') {
            $in->field('header_names', 'headers', $h[0], $h[1]);
        }
    }
    return $in;
}

/** The head of a request or part and what follows its blank line (src/firewall/http.rs). */
function split_head($raw)
{
    $crlf = strpos($raw, "\r\n\r\n");
    $lf = strpos($raw, "\n\n");
    if ($crlf !== false && ($lf === false || $crlf <= $lf)) {
        return [substr($raw, 0, $crlf), (string) substr($raw, $crlf + 4)];
    }
    if ($lf !== false) {
        return [substr($raw, 0, $lf), (string) substr($raw, $lf + 2)];
    }
    return [$raw, ''];
}

/** The `boundary` parameter of a multipart content type, or null. */
function multipart_boundary($type)
{
    $at = strpos(ascii_lower($type), 'boundary=');
    if ($at === false) {
        return null;
    }
    $value = (string) substr($type, $at + 9);
    if ($value !== '' && $value[0] === '"') {
        $end = strpos($value, '"', 1);
        if ($end === false) {
            return null;
        }
        $value = substr($value, 1, $end - 1);
    } else {
        $value = substr($value, 0, strcspn($value, ";, \t\n\f\r"));
    }
    return $value === '' || $value === false ? null : $value;
}

/** The parts of a multipart body: [name, file name or null, content]. */
function multipart_parts($body, $boundary)
{
    $delimiter = '--' . $boundary;
    $starts = [];
    for ($at = strpos($body, $delimiter); $at !== false; $at = strpos($body, $delimiter, $at + strlen($delimiter))) {
        $starts[] = $at;
    }
    $parts = [];
    for ($k = 0; $k + 1 < count($starts); $k++) {
        $from = $starts[$k] + strlen($delimiter);
        $part = (string) substr($body, $from, $starts[$k + 1] - $from);
        if (strncmp($part, "\r\n", 2) === 0) {
            $part = (string) substr($part, 2);
        } elseif (strncmp($part, "\n", 1) === 0) {
            $part = (string) substr($part, 1);
        }
        if (substr($part, -2) === "\r\n") {
            $part = (string) substr($part, 0, -2);
        } elseif (substr($part, -1) === "\n") {
            $part = (string) substr($part, 0, -1);
        }
        list($head, $value) = split_head($part);
        $name = null;
        $file = null;
        foreach (explode("\n", $head) as $line) {
            if (substr($line, -1) === "\r") {
                $line = substr($line, 0, -1);
            }
            if (strlen($line) > 20 && strncasecmp($line, 'content-disposition:', 20) === 0) {
                $name = disposition_param($line, 'name');
                $file = disposition_param($line, 'filename');
            }
        }
        if ($name !== null) {
            $parts[] = [$name, $file, $value];
        }
    }
    return $parts;
}

/** A `param="value"` (or unquoted) of a Content-Disposition line, or null. */
function disposition_param($line, $param)
{
    $lower = ascii_lower($line);
    $search = 0;
    while (($at = strpos($lower, $param, $search)) !== false) {
        $search = $at + strlen($param);
        $beforeOk = $at > 0 && strpos(";  \t", $lower[$at - 1]) !== false;
        $rest = ltrim((string) substr($line, $at + strlen($param)), " \t\n\f\r");
        if ($rest === '' || $rest[0] !== '=' || !$beforeOk) {
            continue;
        }
        $rest = ltrim((string) substr($rest, 1), " \t\n\f\r");
        if ($rest !== '' && $rest[0] === '"') {
            $end = strpos($rest, '"', 1);
            return $end === false ? (string) substr($rest, 1) : substr($rest, 1, $end - 1);
        }
        $end = strpos($rest, ';');
        return trim($end === false ? $rest : substr($rest, 0, $end), " \t\n\f\r");
    }
    return null;
}

/** A decoded JSON body's keys (as names) and string values; objects decode as stdClass. */
function json_inputs(Inputs $in, $value, $name)
{
    if (is_string($value)) {
        $in->push('args', $name, $value);
    } elseif (is_array($value)) {
        foreach ($value as $i => $item) {
            json_inputs($in, $item, $name === '' ? (string) $i : $name . '[' . $i . ']');
        }
    } elseif ($value instanceof \stdClass) {
        foreach ($value as $key => $item) {
            $key = (string) $key;
            $child = $name === '' ? $key : $name . '[' . $key . ']';
            $in->push('arg_names', $child, $key);
            json_inputs($in, $item, $child);
        }
    }
}

/**
 * The rules (number => true) with a literal in `$v` that `$scan` (the
 * pattern of a plan or of a plan's group) looks for: its global match
 * names the longest of them starting at each position, and LITERAL_RULES
 * adds the rules of its prefixes.
 */
function literal_holders($scan, $v)
{
    return preg_match_all($scan, $v, $m) ? holders_of($m[1]) : [];
}

/** The rules (number => true) with one of the literals `$hits` (found by a scan, any case) or one of their prefixes. */
function holders_of(array $hits)
{
    $rules = [];
    foreach (array_unique($hits) as $hit) {
        $hit = ascii_lower($hit);
        if (isset(Config::LITERAL_RULES[$hit])) {
            foreach (Config::LITERAL_RULES[$hit] as $i) {
                $rules[$i] = true;
            }
        }
    }
    return $rules;
}

/**
 * The transformations that may do more than lower-case `$v`, as a mask of
 * CHANGE_BITS: any other leaves it as it is (see transform()). One global
 * match finds what CHANGE_OF knows at each position (a lone space, which
 * only remove_whitespace minds, is looked for apart: it is everywhere).
 */
function changes($v)
{
    $bits = strpos($v, ' ') === false ? 0 : Config::CHANGE_BITS['remove_whitespace'];
    if (preg_match_all(Config::CHANGE_SCAN, $v, $m)) {
        foreach ($m[1] as $found) {
            $bits |= Config::CHANGE_OF[$found];
        }
    }
    return $bits;
}

/**
 * The verdict of the PCRE rules on a request array, as webtotem_waf_inspect()
 * gives it. Each input is read by the rules of its part of the request
 * (PLANS). A rule whose pipeline the value's changes() miss only ever
 * lower-cases it, so reads it as it is or lower-cased, and one global match
 * of the literals of every rule reading its part tells which prefiltered
 * rules need a closer look. For the others the value goes through each
 * pipeline the changes reach (the steps pipelines share computed once per
 * input), and each transformed value that is not the input up to case is
 * scanned by its group.
 */
function inspect(array $request)
{
    $in = inputs($request);
    $found = [];
    foreach ($in->list as $input) {
        list($target, $name, $value) = $input;
        if ($target === 'headers' && isset(Config::PLANS['header:' . $name])) {
            $plan = Config::PLANS['header:' . $name];
        } elseif (isset(Config::PLANS[$target])) {
            $plan = Config::PLANS[$target];
        } else {
            continue;
        }
        $lower = null;
        $changes = changes($value) & $plan['mask'];
        // The rules whose pipeline the changes miss read the value as it is or lower-cased.
        foreach ($plan['u'] as $i => $lowers) {
            if (($changes & $plan['m'][$i]) === 0 && !isset($found[$i])) {
                $v = $lowers ? ($lower === null ? $lower = ascii_lower($value) : $lower) : $value;
                if (preg_match(Config::RULES[$i]['pattern'], $v) === 1) {
                    $found[$i] = match_of($i, $target, $name);
                }
            }
        }
        $holders = [];
        if ($plan['f'] !== []) {
            $holders = literal_holders($plan['scan'], $value);
            foreach ($holders as $i => $unused) {
                if (isset($plan['f'][$i]) && !isset($found[$i]) && ($changes & $plan['m'][$i]) === 0) {
                    $v = $plan['f'][$i] ? ($lower === null ? $lower = ascii_lower($value) : $lower) : $value;
                    if (preg_match(Config::RULES[$i]['pattern'], $v) === 1) {
                        $found[$i] = match_of($i, $target, $name);
                    }
                }
            }
        }
        if ($changes === 0) {
            continue;
        }
        // The others read it through their pipeline.
        $values = [];
        foreach ($plan['groups'] as $group) {
            if (($changes & $group[2]) === 0) {
                continue;
            }
            list($node, , , $u, $f, $scan) = $group;
            list($v, $source) = step_value($node, $value, $changes, $values);
            foreach ($u as $i) {
                if (!isset($found[$i]) && preg_match(Config::RULES[$i]['pattern'], $v) === 1) {
                    $found[$i] = match_of($i, $target, $name);
                }
            }
            if ($f === []) {
                continue;
            }
            // The scan ignores case: a value that is the input up to case shares its scan.
            if ($source === -1 || ascii_lower($v) === ($lower === null ? $lower = ascii_lower($value) : $lower)) {
                $holding = $holders;
            } else {
                // Only this group's rules read this value: its own, smaller scan.
                $holding = literal_holders($scan, $v);
            }
            foreach ($holding as $i => $unused) {
                if (isset($f[$i]) && !isset($found[$i]) && preg_match(Config::RULES[$i]['pattern'], $v) === 1) {
                    $found[$i] = match_of($i, $target, $name);
                }
            }
        }
    }
    ksort($found);
    $score = 0;
    $byClass = [];
    foreach ($found as $m) {
        $score += $m['score'];
        $byClass[$m['class']] = (isset($byClass[$m['class']]) ? $byClass[$m['class']] : 0) + $m['score'];
    }
    $class = null;
    $best = 0;
    foreach (Config::CLASSES as $c) {
        if (isset($byClass[$c]) && $byClass[$c] > $best) {
            $best = $byClass[$c];
            $class = $c;
        }
    }
    return [
        'blocked' => $score >= Config::THRESHOLD,
        'score' => $score,
        'class' => $class,
        'rules' => array_values(array_map(function ($m) {
            return $m['rule'];
        }, $found)),
        'matches' => array_values($found),
        'truncated' => $in->truncated,
    ];
}

}

run();
if (Config::CHAIN_FILE !== '' && \is_file(Config::CHAIN_FILE)) {
    // The auto_prepend_file this agent took the place of, in the global scope.
    include_once Config::CHAIN_FILE;
}
