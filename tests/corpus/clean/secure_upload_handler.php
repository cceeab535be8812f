<?php
/**
 * clean test file: a careful upload handler. Looks like an uploader
 * (move_uploaded_file on $_FILES) but checks is_uploaded_file, size, an
 * extension allow-list, the real MIME type, uses basename() only for display,
 * stores under a random name outside the web root, and requires a CSRF token
 * and a logged-in user.
 */

declare(strict_types=1);

session_start();

const UPLOAD_DIR = __DIR__ . '/../storage/uploads';
const MAX_BYTES = 5 * 1024 * 1024;
const ALLOWED = [
    'jpg' => 'image/jpeg',
    'jpeg' => 'image/jpeg',
    'png' => 'image/png',
    'gif' => 'image/gif',
    'pdf' => 'application/pdf',
];

function fail(int $code, string $message): never
{
    http_response_code($code);
    header('Content-Type: application/json');
    echo json_encode(['error' => $message]);
    exit;
}

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    fail(405, 'POST only');
}
if (empty($_SESSION['user_id'])) {
    fail(403, 'login required');
}
if (!hash_equals($_SESSION['csrf'] ?? '', (string) ($_POST['csrf'] ?? ''))) {
    fail(403, 'bad token');
}

$file = $_FILES['document'] ?? null;
if (!is_array($file) || $file['error'] !== UPLOAD_ERR_OK || !is_uploaded_file($file['tmp_name'])) {
    fail(400, 'no file');
}
if ($file['size'] > MAX_BYTES) {
    fail(413, 'too large');
}

$original = basename((string) $file['name']);
$ext = strtolower(pathinfo($original, PATHINFO_EXTENSION));
if (!isset(ALLOWED[$ext])) {
    fail(415, 'type not allowed');
}
$mime = (new finfo(FILEINFO_MIME_TYPE))->file($file['tmp_name']);
if ($mime !== ALLOWED[$ext]) {
    fail(415, 'content does not match extension');
}

$stored = bin2hex(random_bytes(16)) . '.' . $ext;
if (!move_uploaded_file($file['tmp_name'], UPLOAD_DIR . '/' . $stored)) {
    fail(500, 'could not store');
}
chmod(UPLOAD_DIR . '/' . $stored, 0640);

header('Content-Type: application/json');
echo json_encode(['id' => $stored, 'name' => htmlspecialchars($original, ENT_QUOTES, 'UTF-8')]);
