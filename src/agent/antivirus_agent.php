<?php
/*
 * WebTotem Security antivirus agent. Generated for this site by WebTotem;
 * do not edit. It answers only requests signed by the WebTotem server and
 * never runs, includes or changes the files it reads.
 */

namespace WebTotem\AntivirusAgent;

/** The agent's settings and fixed values. */
final class Config
{
// @webtotem-config

    /** What anyone but the WebTotem server gets: a plain 404 page. */
    const NOT_FOUND_PAGE = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n";
    /** A sample is the first 256 KiB of a file. */
    const SAMPLE_CAP = 262144;
    /** Directories deeper than this are not walked. */
    const MAX_DEPTH = 64;
    /** Building a PHP file's views takes about this many bytes of memory per source byte. */
    const VIEW_COST = 100;
}

/** Ends the request with the 404 page, whatever was about to be sent. */
function not_found()
{
    while (ob_get_level() > 0) {
        @ob_end_clean();
    }
    if (!headers_sent()) {
        http_response_code(404);
        header('Content-Type: text/html; charset=iso-8859-1');
        header_remove('X-Powered-By');
    }
    echo Config::NOT_FOUND_PAGE;
    exit;
}

// @webtotem-common

/** Runs the action a signed request asks for: [HTTP status, answer]. */
function dispatch($body, $nonce)
{
    $request = json_decode($body, true);
    $action = is_array($request) && isset($request['action']) ? $request['action'] : null;
    if ($action === 'ping') {
        return [200, ping()];
    }
    if ($action === 'scan') {
        return scan($request, $nonce);
    }
    if ($action === 'sample') {
        return sample($request);
    }
    return [400, ['ok' => false, 'error' => 'unknown action']];
}

/** Whether the site's PHP has the WebTotem extension to scan with. */
function native()
{
    return function_exists('webtotem_scan_file');
}

/** The `ping` answer: who is here, and whether every rule compiles under this PHP's PCRE. */
function ping()
{
    return [
        'ok' => true,
        'agent' => 'antivirus',
        'version' => Config::VERSION,
        'php' => PHP_VERSION,
        'native' => native(),
        'tokenizer' => function_exists('token_get_all'),
        'rules' => count(Config::RULES),
        'rule_errors' => rule_errors(),
    ];
}

/** An integer request field within [min, max], or the default. */
function int_field(array $request, $name, $default, $min, $max)
{
    $v = isset($request[$name]) && is_int($request[$name]) ? $request[$name] : $default;
    return max($min, min($max, $v));
}

/** A path as JSON can carry it: as is when UTF-8, else `base64:` and its base64. */
function encode_path($path)
{
    if (preg_match('//u', $path) && strncmp($path, 'base64:', 7) !== 0) {
        return $path;
    }
    return 'base64:' . base64_encode($path);
}

/** The reverse of encode_path(); null when malformed. */
function decode_path($path)
{
    if (!is_string($path)) {
        return null;
    }
    if (strncmp($path, 'base64:', 7) === 0) {
        $path = base64_decode(substr($path, 7), true);
    }
    return is_string($path) && strlen($path) <= 4096 && strpos($path, "\0") === false ? $path : null;
}

/**
 * Lists the site's files in a fixed order: names sorted byte-wise, depth
 * first, each directory's entries in place of the directory. Symlinks are
 * listed, never followed; the agent and its state directory are left out.
 * `$after` is the cursor's path split at `/`: everything up to and
 * including it is skipped without being read.
 */
function walk($rel, array $after, $depth)
{
    $dir = $rel === '' ? __DIR__ : __DIR__ . '/' . $rel;
    $names = @scandir($dir, SCANDIR_SORT_NONE);
    if ($names === false) {
        return;
    }
    sort($names, SORT_STRING);
    foreach ($names as $name) {
        $name = (string) $name;
        if ($name === '.' || $name === '..'
            || ($rel === '' && ($name === basename(__FILE__) || $name === Config::STATE_DIR_NAME))) {
            continue;
        }
        $resume = [];
        if ($after) {
            $order = strcmp($name, $after[0]);
            if ($order < 0 || ($order === 0 && count($after) === 1)) {
                continue;
            }
            if ($order === 0) {
                $resume = array_slice($after, 1);
            }
            $after = [];
        }
        $path = $rel === '' ? $name : $rel . '/' . $name;
        $full = __DIR__ . '/' . $path;
        if (is_link($full)) {
            if (!$resume) {
                yield [$path, 'link'];
            }
        } elseif (is_dir($full)) {
            if ($depth < Config::MAX_DEPTH) {
                yield from walk($path, $resume, $depth + 1);
            }
        } elseif (is_file($full) && !$resume) {
            yield [$path, 'file'];
        }
    }
}

/** The progress of the scan in this request, for the shutdown handler. */
function &progress()
{
    static $progress = null;
    return $progress;
}

/**
 * Walks from the cursor, reading and checking files until `max_files`
 * files or `max_ms` milliseconds (kept within the host's time limit).
 */
function scan(array $request, $nonce)
{
    $started = microtime(true);
    $cursor = decode_path(isset($request['cursor']) ? $request['cursor'] : '');
    if ($cursor === null) {
        return [400, ['ok' => false, 'error' => 'bad cursor']];
    }
    $maxFiles = int_field($request, 'max_files', 500, 1, 100000);
    $maxMs = int_field($request, 'max_ms', 20000, 1, 600000);
    $timeLimit = (int) ini_get('max_execution_time');
    if ($timeLimit > 0) {
        $maxMs = min($maxMs, max(1000, $timeLimit * 500));
    }
    $progress = &progress();
    $progress = [
        'files' => [],
        'cursor' => $cursor,
        'current' => null,
        'nonce' => $nonce,
    ];
    $files = walk('', $cursor === '' ? [] : explode('/', $cursor), 0);
    $done = true;
    foreach ($files as $entry) {
        // At least one file per request, so that every request makes progress.
        $count = count($progress['files']);
        if ($count >= $maxFiles || ($count > 0 && (microtime(true) - $started) * 1000 >= $maxMs)) {
            $done = false;
            break;
        }
        $progress['current'] = $entry[0];
        $progress['files'][] = check_file($entry[0], $entry[1]);
        $progress['cursor'] = $entry[0];
        $progress['current'] = null;
    }
    $answer = scan_answer($progress, $done);
    $progress = null;
    return [200, $answer];
}

/** The `scan` answer for the files done so far. */
function scan_answer(array $progress, $done)
{
    return [
        'ok' => true,
        'engine' => native() ? 'native' : 'pcre',
        'files' => $progress['files'],
        'next_cursor' => encode_path($progress['cursor']),
        'done' => $done,
    ];
}

/**
 * When PHP dies in the middle of a file (the host's time or memory limit),
 * answers with the files done so far and that file marked as skipped, so
 * the next request goes on after it instead of dying on it again.
 */
function on_shutdown()
{
    $progress = &progress();
    $error = error_get_last();
    if ($progress === null || $progress['current'] === null || headers_sent()) {
        return;
    }
    $reason = $error !== null && stripos((string) $error['message'], 'memory') !== false ? 'memory limit' : 'time limit';
    $progress['files'][] = ['path' => encode_path($progress['current']), 'skipped' => $reason];
    $progress['cursor'] = $progress['current'];
    // PHP set a "500 Internal Server Error" status line for the fatal error.
    $protocol = server_value('SERVER_PROTOCOL');
    header(($protocol === 'HTTP/1.0' ? $protocol : 'HTTP/1.1') . ' 200 OK', true, 200);
    respond(200, scan_answer($progress, false), $progress['nonce']);
}

/** One file's entry in a scan answer. */
function check_file($path, $type)
{
    $entry = ['path' => encode_path($path)];
    $full = __DIR__ . '/' . $path;
    $stat = @lstat($full);
    if ($stat !== false) {
        $entry['size'] = $stat['size'];
        $entry['mtime'] = $stat['mtime'];
    }
    if ($type === 'link' || is_link($full)) {
        $entry['skipped'] = 'symlink';
        return $entry;
    }
    // Read at most one byte more than the cap: the file may grow meanwhile.
    $contents = $stat === false || $stat['size'] > Config::MAX_FILE_SIZE ? null : @file_get_contents($full, false, null, 0, Config::MAX_FILE_SIZE + 1);
    if (!is_string($contents) || strlen($contents) > Config::MAX_FILE_SIZE) {
        $entry['skipped'] = $stat === false || $contents === false ? 'unreadable' : 'too large';
        return $entry;
    }
    $entry['sha256'] = hash('sha256', $contents);
    $notes = [];
    $findings = native() ? native_findings($path, $contents) : null;
    if ($findings === null) {
        $findings = signature_findings($path, $contents, $notes);
    }
    $entry['findings'] = $findings;
    return $entry + $notes;
}

/** The WebTotem extension's findings (signatures and the PHP analysis); null when it fails. */
function native_findings($path, $contents)
{
    if (!preg_match('//u', $path)) {
        // The extension takes UTF-8 names; a non-ASCII byte never decides a file's kind.
        $path = preg_replace('/[\x80-\xFF]/', '_', $path);
    }
    try {
        $scan = \webtotem_scan_file($path, $contents);
    } catch (\Throwable $e) {
        return null;
    }
    $findings = [];
    foreach ($scan['findings'] as $f) {
        $findings[] = [
            'rule' => $f['rule'],
            'category' => $f['category'],
            'severity' => $f['severity'],
            'line' => $f['line'],
        ];
    }
    return $findings;
}

/** ASCII-only lower case, whatever the locale. */
function ascii_lower($s)
{
    return strtr($s, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
}

/** The file's kind, decided as the WebTotem core decides it. */
function classify($path, $head)
{
    $slash = strrpos($path, '/');
    $name = $slash === false ? $path : substr($path, $slash + 1);
    if (in_array(ascii_lower($name), Config::HTACCESS_NAMES, true)) {
        return 'htaccess';
    }
    $dot = strrpos($name, '.');
    $ext = $dot === false ? '' : ascii_lower(substr($name, $dot + 1));
    foreach (Config::EXTENSION_KINDS as $kind => $extensions) {
        if (in_array($ext, $extensions, true)) {
            return $kind;
        }
    }
    if (strncmp($head, "\xEF\xBB\xBF", 3) === 0) {
        $head = substr($head, 3);
    }
    return strncasecmp(ltrim($head, " \t\n\r\x0C"), '<?php', 5) === 0 ? 'php' : 'text';
}

/** Whether the lower-cased text contains one of the literals. */
function has_literal($lower, array $literals)
{
    foreach ($literals as $literal) {
        if (strpos($lower, $literal) !== false) {
            return true;
        }
    }
    return false;
}

/**
 * The signature rules' matches in a file, as the WebTotem core finds them:
 * PHP (and images or text files holding `<?php`) is matched on its views,
 * comments blanked, and string literals too for code-only rules. A rule's
 * pattern runs only when the text contains one of its literals.
 */
function signature_findings($path, $contents, array &$notes)
{
    $kind = classify($path, substr($contents, 0, 512));
    $php = $kind === 'php' || (($kind === 'image' || $kind === 'text') && stripos($contents, '<?php') !== false);
    $ruleKind = $php ? 'php' : $kind;
    $lower = ascii_lower($contents);
    $rules = [];
    foreach (Config::RULES as $rule) {
        // Blanking comments never adds a literal, so this is a safe first cut.
        if (in_array($ruleKind, $rule['kinds'], true) && has_literal($lower, $rule['literals'])) {
            $rules[] = $rule;
        }
    }
    if (!$rules) {
        return [];
    }
    $text = $contents;
    $code = $contents;
    if ($php) {
        $views = php_views($contents, $partial);
        if ($views === null) {
            $notes['partial'] = $partial;
        } else {
            list($text, $code) = $views;
            $lower = ascii_lower($text);
        }
    }
    $findings = [];
    foreach ($rules as $rule) {
        if (!has_literal($lower, $rule['literals'])) {
            continue;
        }
        $matched = preg_match($rule['pattern'], $rule['code_only'] ? $code : $text, $m, PREG_OFFSET_CAPTURE);
        if ($matched === false) {
            $notes['rule_errors'][] = $rule['id'];
        } elseif ($matched === 1) {
            $offset = $m[0][1];
            $findings[] = [
                'rule' => $rule['id'],
                'category' => $rule['category'],
                'severity' => $rule['severity'],
                'line' => $offset > 0 ? substr_count($contents, "\n", 0, $offset) + 1 : 1,
            ];
        }
    }
    usort($findings, function ($a, $b) {
        return $a['line'] - $b['line'] ?: strcmp($a['rule'], $b['rule']);
    });
    return $findings;
}

/**
 * Two views of PHP source with the same offsets: the text with comments
 * blanked (spaces, newlines kept), and the code with string literals'
 * contents blanked too (quotes kept). Null, with the reason in `$partial`,
 * when they cannot be built; the rules then see the raw bytes.
 */
function php_views($src, &$partial)
{
    if (!function_exists('token_get_all')) {
        $partial = 'no tokenizer';
        return null;
    }
    $limit = memory_limit();
    if ($limit > 0 && memory_get_usage() + Config::VIEW_COST * strlen($src) > $limit) {
        $partial = 'memory';
        return null;
    }
    if (ini_get('short_open_tag')) {
        // The core reads `<?` as text, as PHP's production configuration does.
        $src_for_tokens = preg_replace('~<(?=\?(?!=|php(?:[ \t\n\r]|\z)))~i', ' ', $src);
    } else {
        $src_for_tokens = $src;
    }
    $comments = [];
    $strings = [];
    $offset = 0;
    $open = null;
    $depth = 0;
    foreach (@token_get_all($src_for_tokens) as $token) {
        $id = is_array($token) ? $token[0] : null;
        $s = is_array($token) ? $token[1] : $token;
        $start = $offset;
        $offset += strlen($s);
        if ($open === null) {
            if ($id === T_COMMENT || $id === T_DOC_COMMENT) {
                $comments[] = [$start, $offset];
            } elseif ($id === T_CONSTANT_ENCAPSED_STRING) {
                $strings[] = [$start + 1, $offset - 1];
            } elseif ($s === '"' || $s === 'b"' || $s === 'B"' || $s === '`') {
                $open = [$start, substr($s, -1)];
            } elseif ($id === T_START_HEREDOC) {
                // The core's heredoc starts at `<<<`, after any `b` prefix.
                $open = [$s[0] === '<' ? $start : $start + 1, T_END_HEREDOC];
            }
        } elseif ($id === T_CURLY_OPEN || $id === T_DOLLAR_OPEN_CURLY_BRACES || ($s === '{' && $depth > 0)) {
            $depth++;
        } elseif ($s === '}' && $depth > 0) {
            $depth--;
        } elseif ($depth === 0 && ($open[1] === T_END_HEREDOC ? $id === T_END_HEREDOC : $id === null && $s === $open[1])) {
            $strings[] = [$open[0] + 1, $offset - 1];
            $open = null;
        }
    }
    if ($open !== null) {
        // An unterminated string runs to the end of the file.
        $strings[] = [$open[0] + 1, $offset - 1];
    }
    if ($offset !== strlen($src)) {
        $partial = 'tokens';
        return null;
    }
    $all = array_merge($comments, $strings);
    usort($all, function ($a, $b) {
        return $a[0] - $b[0];
    });
    return [blank($src, $comments), blank($src, $all)];
}

/** `$src` with the byte ranges [start, end) turned into spaces, newlines kept. */
function blank($src, array $ranges)
{
    $out = '';
    $at = 0;
    foreach ($ranges as $range) {
        list($start, $end) = $range;
        if ($end <= $start) {
            continue;
        }
        $out .= substr($src, $at, $start - $at) . preg_replace('/[^\n]/', ' ', substr($src, $start, $end - $start));
        $at = $end;
    }
    return $out . substr($src, $at);
}

/** PHP's memory_limit in bytes; 0 when unlimited. */
function memory_limit()
{
    $v = trim((string) ini_get('memory_limit'));
    if ($v === '' || $v === '-1') {
        return 0;
    }
    $n = (int) $v;
    $unit = strtolower(substr($v, -1));
    $shift = ['k' => 10, 'm' => 20, 'g' => 30];
    return isset($shift[$unit]) ? $n << $shift[$unit] : $n;
}

/**
 * A file's first 256 KiB for research. The path must be relative, without
 * `..` or empty segments or NUL bytes, and resolve to a file inside the
 * site root that is neither the agent nor its state.
 */
function sample(array $request)
{
    $path = decode_path(isset($request['path']) ? $request['path'] : null);
    $full = $path === null ? null : resolve_inside_root($path);
    if ($full === null) {
        return [404, ['ok' => false, 'error' => 'no such file']];
    }
    $size = @filesize($full);
    $data = @file_get_contents($full, false, null, 0, Config::SAMPLE_CAP);
    if ($size === false || !is_string($data)) {
        return [404, ['ok' => false, 'error' => 'no such file']];
    }
    return [200, [
        'ok' => true,
        'path' => encode_path($path),
        'size' => $size,
        'sha256' => $size <= Config::SAMPLE_CAP ? hash('sha256', $data) : hash_file('sha256', $full),
        'truncated' => $size > Config::SAMPLE_CAP,
        'data' => base64_encode($data),
    ]];
}

/** The real path of a regular file named by `$path` inside the root, or null. */
function resolve_inside_root($path)
{
    if ($path === '' || $path[0] === '/') {
        return null;
    }
    foreach (explode('/', $path) as $segment) {
        if ($segment === '' || $segment === '.' || $segment === '..') {
            return null;
        }
    }
    $root = realpath(__DIR__);
    $real = realpath(__DIR__ . '/' . $path);
    if ($root === false || $real === false || strpos($real, $root . '/') !== 0 || !is_file($real)
        || $real === realpath(__FILE__)) {
        return null;
    }
    $state = realpath((Config::STATE_DIR_PATH !== '' ? Config::STATE_DIR_PATH : __DIR__) . '/' . Config::STATE_DIR_NAME);
    if ($state !== false && strpos($real, $state . '/') === 0) {
        return null;
    }
    return $real;
}

/** Answers the request: the action's signed JSON, or the 404 page. */
function main()
{
    @ini_set('display_errors', '0');
    try {
        $request = authenticate();
    } catch (\Throwable $e) {
        $request = null;
    }
    if ($request === null) {
        not_found();
    }
    $progress = &progress();
    register_shutdown_function(__NAMESPACE__ . '\on_shutdown');
    try {
        $answer = dispatch($request['body'], $request['nonce']);
    } catch (\Throwable $e) {
        $answer = [500, ['ok' => false, 'error' => 'internal error']];
    }
    $progress = null;
    respond($answer[0], $answer[1], $request['nonce']);
}

main();
