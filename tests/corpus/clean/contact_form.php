<?php
/**
 * clean test file: a site contact form. It reads $_POST and calls mail(), but
 * the recipient is a constant, one message is sent per submission, user text
 * only goes into the body and a validated Reply-To, and there is a honeypot
 * field hidden with CSS plus a rate limit.
 */

session_start();

const CONTACT_TO = 'office@example.com';

$errors = [];
$sent = false;

if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    if (!empty($_POST['website'])) {           // honeypot: humans leave it empty
        http_response_code(400);
        exit;
    }
    if (isset($_SESSION['last_contact']) && time() - $_SESSION['last_contact'] < 60) {
        $errors[] = 'Please wait a minute before sending another message.';
    }
    $name = trim(str_replace(["\r", "\n"], ' ', (string) ($_POST['name'] ?? '')));
    $email = filter_var($_POST['email'] ?? '', FILTER_VALIDATE_EMAIL);
    $message = trim((string) ($_POST['message'] ?? ''));
    if ($name === '' || $email === false || $message === '') {
        $errors[] = 'All fields are required.';
    }
    if (!$errors) {
        $body = "Name: {$name}\nEmail: {$email}\n\n" . wordwrap($message, 70);
        $headers = "From: Website <no-reply@example.com>\r\nReply-To: {$email}\r\nContent-Type: text/plain; charset=UTF-8\r\n";
        $sent = mail(CONTACT_TO, 'Contact form: ' . mb_substr($name, 0, 60), $body, $headers);
        $_SESSION['last_contact'] = time();
    }
}
?>
<form method="post" action="">
  <?php foreach ($errors as $e): ?><p class="error"><?= htmlspecialchars($e) ?></p><?php endforeach; ?>
  <?php if ($sent): ?><p class="ok">Thank you, we will get back to you soon.</p><?php endif; ?>
  <label>Name <input name="name" required></label>
  <label>Email <input name="email" type="email" required></label>
  <label>Message <textarea name="message" required></textarea></label>
  <div style="display:none" aria-hidden="true"><label>Website <input name="website" tabindex="-1" autocomplete="off"></label></div>
  <button type="submit">Send</button>
</form>
