<?php
/**
 * Demo: creates sample sites (as Plesk lays them out under /var/www/vhosts)
 * and shows where WebTotem installs each site's agents. In Plesk the module
 * reads public/index.php through pm_FileManager with the site owner's
 * rights; here plain file reads stand in for it.
 */
declare(strict_types=1);

$base = ($argv[1] ?? sys_get_temp_dir()) . '/vhosts';

$sites = [
    'laravel.example' => [
        'public/index.php' => "<?php\n\nuse Illuminate\\Http\\Request;\n\ndefine('LARAVEL_START', microtime(true));\n\nrequire __DIR__.'/../vendor/autoload.php';\n\n(require_once __DIR__.'/../bootstrap/app.php')\n    ->handleRequest(Request::capture());\n",
    ],
    'symfony.example' => [
        'public/index.php' => "<?php\n\nuse App\\Kernel;\n\nrequire_once dirname(__DIR__).'/vendor/autoload_runtime.php';\n\nreturn function (array \$context) {\n    return new Kernel(\$context['APP_ENV'], (bool) \$context['APP_DEBUG']);\n};\n",
    ],
    'wordpress.example' => [
        'index.php' => "<?php\ndefine('WP_USE_THEMES', true);\nrequire __DIR__ . '/wp-blog-header.php';\n",
    ],
    'tricky.example' => [
        'index.php' => "<?php echo 'home';\n",
        'public/index.php' => "<?php\n// require __DIR__ . '/../vendor/autoload.php';\necho <<<HTML\n<p>require 'vendor/autoload.php';</p>\nHTML;\n",
    ],
];

foreach ($sites as $domain => $files) {
    $docroot = "$base/$domain/httpdocs";
    foreach ($files as $rel => $contents) {
        @mkdir(dirname("$docroot/$rel"), 0755, true);
        file_put_contents("$docroot/$rel", $contents);
    }
    $publicIndex = is_file("$docroot/public/index.php") ? file_get_contents("$docroot/public/index.php") : null;
    $root = webtotem_detect_root($docroot, $publicIndex);
    printf("  %-20s -> %s\n", $domain, substr($root, strlen($base) + 1));
}

foreach (['relative/httpdocs', "/var/www/../../etc", "/var/www/a\0b"] as $bad) {
    try {
        webtotem_detect_root($bad);
    } catch (WebTotem\Exception $e) {
        printf("  rejected %-22s %s: %s\n", json_encode($bad, JSON_UNESCAPED_SLASHES), get_class($e), $e->getMessage());
    }
}
