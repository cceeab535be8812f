<?php
/**
 * Plugin Name: Example Footer Credits
 * Description: Adds a configurable "Powered by" line to the footer.
 * Version: 1.0.3
 *
 * clean test file: uses the wp_footer hook to print a visible, escaped,
 * admin-configured credit line — same hook that spam injectors abuse, but no
 * remote fetch, no hiding, no user-agent checks.
 */

defined('ABSPATH') || exit;

function efc_footer_credit(): void
{
    $text = get_option('efc_text', 'Powered by WordPress');
    $url = get_option('efc_url', 'https://wordpress.org/');
    printf(
        '<p class="efc-credit"><a href="%s">%s</a></p>',
        esc_url($url),
        esc_html($text)
    );
}
add_action('wp_footer', 'efc_footer_credit', 20);

function efc_settings(): void
{
    register_setting('general', 'efc_text', ['sanitize_callback' => 'sanitize_text_field']);
    register_setting('general', 'efc_url', ['sanitize_callback' => 'esc_url_raw']);
    add_settings_field('efc_text', __('Footer credit text', 'efc'), static function (): void {
        echo '<input name="efc_text" class="regular-text" value="' . esc_attr(get_option('efc_text', '')) . '">';
    }, 'general');
}
add_action('admin_init', 'efc_settings');
