<?php
/**
 * clean test file: CLI-only nightly backup script run from cron. Uses
 * shell_exec() for mysqldump/gzip, but every argument comes from constants
 * and goes through escapeshellarg(); it refuses to run from the web.
 */

if (PHP_SAPI !== 'cli') {
    http_response_code(403);
    exit('CLI only');
}

require __DIR__ . '/wp-config.php';

const BACKUP_DIR = '/var/backups/example-site';
const KEEP_DAYS = 14;

$file = BACKUP_DIR . '/' . DB_NAME . '-' . date('Ymd-His') . '.sql.gz';

$cnf = tempnam(sys_get_temp_dir(), 'my');
file_put_contents($cnf, "[client]\nuser=" . DB_USER . "\npassword=" . DB_PASSWORD . "\nhost=" . DB_HOST . "\n");
chmod($cnf, 0600);

$cmd = 'mysqldump --defaults-extra-file=' . escapeshellarg($cnf)
    . ' --single-transaction --quick --routines ' . escapeshellarg(DB_NAME)
    . ' | gzip -9 > ' . escapeshellarg($file);
$out = shell_exec($cmd . ' 2>&1');
unlink($cnf);

if (!is_file($file) || filesize($file) === 0) {
    fwrite(STDERR, "backup failed: " . $out . "\n");
    exit(1);
}

foreach (glob(BACKUP_DIR . '/*.sql.gz') as $old) {
    if (filemtime($old) < time() - KEEP_DAYS * 86400) {
        unlink($old);
    }
}
echo "backup written: $file\n";
