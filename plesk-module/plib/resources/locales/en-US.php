<?php
// English messages of WebTotem Security. Plesk reads the $messages variable (never `return` it).
$messages = [
    'moduleTitle' => 'WebTotem Security',
    'moduleDescription' => 'Website security for Plesk: malware scanning, firewall and monitoring.',
    'coreVersion' => 'Core version: %%version%%',
    'coreUnavailable' => 'The WebTotem core is not available: %%message%%',
];
