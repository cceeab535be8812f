<?php
// Test sample: mass mailer - mail() in a loop over a POSTed recipient list.
@set_time_limit(0);
if (!empty($_POST['list'])) {
    $to = explode("\n", str_replace("\r", '', $_POST['list']));
    $sent = 0;
    foreach ($to as $rcpt) {
        $rcpt = trim($rcpt);
        if ($rcpt === '') {
            continue;
        }
        if (mail($rcpt, $_POST['subject'], $_POST['body'], "Content-Type: text/html; charset=UTF-8\r\n")) {
            $sent++;
            echo "sent -> $rcpt<br>";
        }
        flush();
    }
    echo "total $sent";
}
