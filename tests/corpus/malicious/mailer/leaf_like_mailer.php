<?php
// Test sample: "leaf mailer"-like spam console: HTML form with sender,
// reply-to, subject, letter, recipient list, and [-email-]/[-randommd5-]
// placeholders expanded per recipient.
@error_reporting(0);
@set_time_limit(0);
$a = isset($_POST['action']) ? $_POST['action'] : '';
?>
<html><head><title>Mailer Inbox Sender</title></head><body>
<form method="post">
Sender email: <input name="senderEmail" value="<?php echo @$_POST['senderEmail']; ?>"><br>
Sender name: <input name="senderName"><br>
Reply-to: <input name="replyTo"><br>
Subject: <input name="subject" size="60"><br>
Message type: <input type="radio" name="messageType" value="html" checked>HTML <input type="radio" name="messageType" value="plain">Plain<br>
<textarea name="messageLetter" cols="80" rows="12"></textarea><br>
Email list: <textarea name="emailList" cols="40" rows="12"></textarea><br>
<input type="hidden" name="action" value="send"><input type="submit" value="SEND">
</form>
<?php
function leaf_expand($s, $email)
{
    $s = str_replace('[-email-]', $email, $s);
    $s = str_replace('[-time-]', date('m/d/Y H:i:s'), $s);
    $s = str_replace('[-randommd5-]', md5(mt_rand()), $s);
    $s = str_replace('[-randomstring-]', substr(str_shuffle('abcdefghijklmnopqrstuvwxyz'), 0, 8), $s);
    return $s;
}
if ($a === 'send') {
    $list = explode("\n", $_POST['emailList']);
    $n = count($list);
    foreach ($list as $i => $email) {
        $email = trim($email);
        if (!filter_var($email, FILTER_VALIDATE_EMAIL)) {
            continue;
        }
        $h  = 'From: ' . $_POST['senderName'] . ' <' . leaf_expand($_POST['senderEmail'], $email) . ">\r\n";
        $h .= 'Reply-To: ' . $_POST['replyTo'] . "\r\n";
        $h .= 'X-Mailer: Microsoft Office Outlook 12.0' . "\r\n";
        $h .= 'Content-Type: text/' . $_POST['messageType'] . "; charset=UTF-8\r\n";
        $ok = @mail($email, leaf_expand($_POST['subject'], $email), leaf_expand($_POST['messageLetter'], $email), $h);
        echo '<div>[' . ($i + 1) . '/' . $n . '] ' . htmlspecialchars($email) . ' ' . ($ok ? '<font color=green>OK</font>' : '<font color=red>FAIL</font>') . '</div>';
    }
}
?>
</body></html>
