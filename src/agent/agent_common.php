<?php
/*
 * The signed-request protocol every WebTotem agent speaks (see src/agent/mod.rs).
 * Rendering puts these functions into each agent, in its own namespace; the
 * opening tag above is not part of that.
 */

/** The site key's bytes. */
function site_key()
{
    return hex2bin(Config::SITE_KEY);
}

/** A string from $_SERVER (request headers are HTTP_*), or ''. */
function server_value($name)
{
    $v = isset($_SERVER[$name]) ? $_SERVER[$name] : '';
    return is_string($v) ? $v : '';
}

/**
 * The signed request's nonce and body, or null for anything else: wrong
 * method, missing or malformed headers, a timestamp too far from now, a bad
 * signature, a nonce seen before, or no place to remember nonces.
 */
function authenticate()
{
    if (server_value('REQUEST_METHOD') !== 'POST') {
        return null;
    }
    $timestamp = server_value('HTTP_X_WEBTOTEM_TIMESTAMP');
    $nonce = server_value('HTTP_X_WEBTOTEM_NONCE');
    $signature = server_value('HTTP_X_WEBTOTEM_SIGNATURE');
    if (!preg_match('/^[0-9]{1,12}\z/', $timestamp)
        || !preg_match('/^[0-9a-fA-F]{16,64}\z/', $nonce)
        || !preg_match('/^[0-9a-f]{64}\z/', $signature)
        || abs(time() - (int) $timestamp) > Config::MAX_CLOCK_SKEW
        || (int) server_value('CONTENT_LENGTH') > Config::MAX_BODY) {
        return null;
    }
    $body = file_get_contents('php://input', false, null, 0, Config::MAX_BODY + 1);
    if (!is_string($body) || strlen($body) > Config::MAX_BODY) {
        return null;
    }
    $expected = hash_hmac('sha256', $timestamp . "\n" . $nonce . "\n" . hash('sha256', $body), site_key());
    if (!hash_equals($expected, $signature) || !remember_nonce(strtolower($nonce))) {
        return null;
    }
    return ['nonce' => $nonce, 'body' => $body];
}

/** The private state directory (created on first use), or null when it cannot be had. */
function state_dir()
{
    $dir = (Config::STATE_DIR_PATH !== '' ? Config::STATE_DIR_PATH : __DIR__) . '/' . Config::STATE_DIR_NAME;
    if (is_link($dir)) {
        return null;
    }
    if (!is_dir($dir) && !@mkdir($dir, 0700, true) && !is_dir($dir)) {
        return null;
    }
    $deny = "<IfModule mod_authz_core.c>\nRequire all denied\n</IfModule>\n"
        . "<IfModule !mod_authz_core.c>\nOrder allow,deny\nDeny from all\n</IfModule>\n";
    foreach (['.htaccess' => $deny, 'index.html' => ''] as $name => $contents) {
        if (!is_file($dir . '/' . $name)) {
            @file_put_contents($dir . '/' . $name, $contents);
        }
    }
    return $dir;
}

/**
 * Records a nonce; false when it was seen before (a replay) or cannot be
 * recorded. Creating the file with mode 'x' is atomic, so two copies of
 * one request racing each other cannot both pass.
 */
function remember_nonce($nonce)
{
    $dir = state_dir();
    if ($dir === null) {
        return false;
    }
    $file = @fopen($dir . '/n-' . $nonce, 'x');
    if ($file === false) {
        return false;
    }
    fclose($file);
    $now = time();
    foreach ((array) @scandir($dir) as $name) {
        if (strncmp((string) $name, 'n-', 2) === 0) {
            $mtime = @filemtime($dir . '/' . $name);
            if ($mtime !== false && $now - $mtime > Config::NONCE_TTL) {
                @unlink($dir . '/' . $name);
            }
        }
    }
    return true;
}

/** Sends a signed JSON answer and ends the request. */
function respond($status, array $data, $nonce)
{
    $json = json_encode($data, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE);
    if ($json === false) {
        $status = 500;
        $json = '{"ok":false,"error":"the answer cannot be encoded"}';
    }
    while (ob_get_level() > 0) {
        @ob_end_clean();
    }
    http_response_code($status);
    header('Content-Type: application/json');
    header('Cache-Control: no-store');
    header_remove('X-Powered-By');
    header('X-WebTotem-Signature: ' . hash_hmac('sha256', "response\n" . $nonce . "\n" . hash('sha256', $json), site_key()));
    echo $json;
    exit;
}

/** The ids of the rules (RULES) whose patterns this PHP's PCRE cannot compile. */
function rule_errors()
{
    $errors = [];
    foreach (Config::RULES as $rule) {
        if (@preg_match($rule['pattern'], '') === false) {
            $errors[] = $rule['id'];
        }
    }
    return $errors;
}
