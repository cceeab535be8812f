<?php
// Test sample: local/remote file inclusion driven by ?page=
$page = $_GET['page'];
include $page;
