<?php
/**
 * clean test file: an admin-only "system status" page. It prints the same
 * facts web shells show in their header (php_uname, disable_functions,
 * open_basedir, server software, disk space) but is behind a capability
 * check, runs no commands and takes no input.
 */

defined('ABSPATH') || exit;

function example_status_rows(): array
{
    return [
        'PHP version' => PHP_VERSION,
        'Server software' => $_SERVER['SERVER_SOFTWARE'] ?? 'unknown',
        'Operating system' => php_uname('s') . ' ' . php_uname('r'),
        'Memory limit' => ini_get('memory_limit'),
        'Max upload size' => ini_get('upload_max_filesize'),
        'Disabled functions' => ini_get('disable_functions') ?: '(none)',
        'open_basedir' => ini_get('open_basedir') ?: '(not set)',
        'allow_url_include' => ini_get('allow_url_include') ? 'On (insecure!)' : 'Off',
        'Free disk space' => size_format((int) @disk_free_space(ABSPATH)),
        'Loaded extensions' => implode(', ', get_loaded_extensions()),
    ];
}

function example_status_page(): void
{
    if (!current_user_can('manage_options')) {
        wp_die(esc_html__('Sorry, you are not allowed to access this page.', 'example'));
    }
    echo '<div class="wrap"><h1>' . esc_html__('System status', 'example') . '</h1><table class="widefat striped">';
    foreach (example_status_rows() as $label => $value) {
        echo '<tr><th>' . esc_html($label) . '</th><td><code>' . esc_html((string) $value) . '</code></td></tr>';
    }
    echo '</table></div>';
}

add_action('admin_menu', static function (): void {
    add_management_page('System status', 'System status', 'manage_options', 'example-status', 'example_status_page');
});
