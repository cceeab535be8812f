<?php
/**
 * clean test file: language file full of sprintf/printf placeholders and
 * words like "upload", "shell", "execute", "password", "mail" in UI texts.
 */

return [
    'welcome' => 'Welcome back, %s!',
    'last_login' => 'Your last login was on %1$s from %2$s.',
    'files_uploaded' => '%d file uploaded.|%d files uploaded.',
    'upload_failed' => 'Upload of "%s" failed: %s',
    'upload_too_big' => 'The file "%1$s" is %2$s, the maximum is %3$s.',
    'password_reset' => 'We sent a password reset link to %s.',
    'password_weak' => 'Your password must be at least %d characters long.',
    'mail_sent' => 'Your message was sent to %d recipient(s).',
    'mail_failed' => 'The mail server said: %s',
    'cron_run' => 'Scheduled task "%s" executed in %.2f seconds.',
    'shell_disabled' => 'Shell access is disabled for this account. Contact %s to enable SSH.',
    'scan_result' => 'Scan finished: %1$d files checked, %2$d threats found, %3$d quarantined.',
    'backup_done' => 'Backup "%s" (%s) created on %s.',
    'quota' => 'You are using %1$.1f%% of your %2$s quota.',
    'items_deleted' => '%d item moved to trash.|%d items moved to trash.',
    'date_format' => '%B %e, %Y',
    'eval_notice' => 'Code evaluation is not available in the sandbox.',
    'remote_include' => 'Remote file inclusion is blocked (allow_url_include=Off).',
];
