<?php
// Test sample: raw request body is evaluated.
eval(file_get_contents('php://input'));
