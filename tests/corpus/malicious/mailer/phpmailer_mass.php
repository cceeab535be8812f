<?php
// Test sample: PHPMailer-style mass sending from $_POST['emails'] with
// rotating spoofed senders and SMTP credentials from the request.
require_once __DIR__ . '/PHPMailer/PHPMailerAutoload.php';

$emails  = preg_split('/[\s,;]+/', $_POST['emails'], -1, PREG_SPLIT_NO_EMPTY);
$senders = array('support@bank.example', 'security@paypal.example.test', 'noreply@apple.example.test');
foreach ($emails as $i => $email) {
    $mail = new PHPMailer();
    if (!empty($_POST['smtp_host'])) {
        $mail->isSMTP();
        $mail->Host     = $_POST['smtp_host'];
        $mail->SMTPAuth = true;
        $mail->Username = $_POST['smtp_user'];
        $mail->Password = $_POST['smtp_pass'];
    }
    $mail->setFrom($senders[$i % count($senders)], $_POST['sender_name']);
    $mail->addAddress($email);
    $mail->Subject = str_replace('[-email-]', $email, $_POST['subject']);
    $mail->msgHTML(str_replace('[-email-]', $email, $_POST['letter']));
    if (!empty($_FILES['attach']['tmp_name'])) {
        $mail->addAttachment($_FILES['attach']['tmp_name'], $_FILES['attach']['name']);
    }
    echo ($i + 1) . '/' . count($emails) . ' ' . $email . ' => ' . ($mail->send() ? 'OK' : $mail->ErrorInfo) . "<br>\n";
    usleep((int) $_POST['delay']);
}
