<?php
// Russian messages of WebTotem Security. Plesk reads the $messages variable (never `return` it).
$messages = [
    'moduleTitle' => 'WebTotem Security',
    'moduleDescription' => 'Безопасность сайтов в Plesk: поиск вредоносного кода, файрвол и мониторинг.',
    'coreVersion' => 'Версия ядра: %%version%%',
    'coreUnavailable' => 'Ядро WebTotem недоступно: %%message%%',
];
