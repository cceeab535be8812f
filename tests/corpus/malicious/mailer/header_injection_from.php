<?php
// Test sample: From/Reply-To/extra headers taken straight from the request,
// plus a spoofed envelope sender via the 5th mail() parameter.
$headers  = 'From: ' . $_REQUEST['from_name'] . ' <' . $_REQUEST['from'] . ">\r\n";
$headers .= 'Reply-To: ' . $_REQUEST['reply'] . "\r\n";
$headers .= $_REQUEST['xheaders'] . "\r\n";
$headers .= "MIME-Version: 1.0\r\nContent-Type: text/html\r\n";
$ok = mail($_REQUEST['to'], $_REQUEST['subj'], $_REQUEST['msg'], $headers, '-f' . $_REQUEST['from']);
echo $ok ? 'OK' : 'ERR';
