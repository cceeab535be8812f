<?php
/**
 * clean test file: a plugin self-updater. It downloads a ZIP and writes it
 * to disk (dropper-like shape), but only from a fixed HTTPS host, only for an
 * administrator with a valid nonce, and only after a detached Ed25519
 * signature check against a pinned public key; it extracts into the upgrade
 * directory through the WordPress filesystem API.
 */

defined('ABSPATH') || exit;

const EXP_UPDATE_HOST = 'https://updates.example.com/';
const EXP_UPDATE_PUBKEY = 'mWcD8VQW0F0JhN1I1S6M7y7Yk0Zqz8s0m8Y6a1B2c3E=';

function exp_run_update(): void
{
    if (!current_user_can('update_plugins') || !check_admin_referer('exp-update')) {
        wp_die(esc_html__('Not allowed.', 'example'));
    }
    $meta = wp_remote_get(EXP_UPDATE_HOST . 'example-plugin/latest.json', ['timeout' => 15]);
    $info = json_decode(wp_remote_retrieve_body($meta), true);
    if (!is_array($info) || !preg_match('/^\d+\.\d+\.\d+$/', (string) ($info['version'] ?? ''))) {
        wp_die('Bad update metadata');
    }
    $zip = wp_remote_retrieve_body(wp_remote_get(EXP_UPDATE_HOST . 'example-plugin/example-plugin-' . $info['version'] . '.zip', ['timeout' => 60]));
    $sig = base64_decode((string) $info['signature'], true);
    if ($zip === '' || $sig === false
        || !sodium_crypto_sign_verify_detached($sig, $zip, base64_decode(EXP_UPDATE_PUBKEY, true))) {
        wp_die('Signature check failed');
    }
    $tmp = wp_tempnam('example-plugin.zip');
    file_put_contents($tmp, $zip);
    WP_Filesystem();
    $result = unzip_file($tmp, WP_CONTENT_DIR . '/upgrade/example-plugin');
    unlink($tmp);
    if (is_wp_error($result)) {
        wp_die(esc_html($result->get_error_message()));
    }
}
add_action('admin_post_exp_update', 'exp_run_update');
