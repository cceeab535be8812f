<?php
/**
 * clean test file: a small PHPMailer-like library class. It calls mail()
 * with its own validated properties; header values are stripped of CR/LF so
 * no header injection is possible, and recipients are validated one by one.
 */

namespace Example\Mail;

class SimpleMailer
{
    public string $From = 'no-reply@example.com';
    public string $FromName = 'Example Shop';
    public string $Subject = '';
    public string $Body = '';
    public string $AltBody = '';
    public string $CharSet = 'UTF-8';
    public bool $isHtml = true;
    public string $ErrorInfo = '';

    /** @var list<array{0: string, 1: string}> */
    protected array $to = [];
    protected string $boundary;

    public function __construct()
    {
        $this->boundary = 'b1_' . bin2hex(random_bytes(8));
    }

    public function addAddress(string $address, string $name = ''): bool
    {
        $address = trim($address);
        if (!filter_var($address, FILTER_VALIDATE_EMAIL)) {
            $this->ErrorInfo = 'Invalid address: ' . $address;
            return false;
        }
        $this->to[] = [$address, $this->secureHeader($name)];
        return true;
    }

    protected function secureHeader(string $value): string
    {
        return trim(str_replace(["\r", "\n"], '', $value));
    }

    protected function encodeHeader(string $value): string
    {
        return preg_match('/[^\x20-\x7e]/', $value)
            ? '=?' . $this->CharSet . '?B?' . base64_encode($value) . '?='
            : $value;
    }

    protected function buildHeaders(): string
    {
        $h  = 'From: ' . $this->encodeHeader($this->secureHeader($this->FromName)) . ' <' . $this->secureHeader($this->From) . ">\r\n";
        $h .= "MIME-Version: 1.0\r\n";
        $h .= 'X-Mailer: ExampleMailer/1.2' . "\r\n";
        if ($this->isHtml && $this->AltBody !== '') {
            $h .= 'Content-Type: multipart/alternative; boundary="' . $this->boundary . '"' . "\r\n";
        } else {
            $h .= 'Content-Type: text/' . ($this->isHtml ? 'html' : 'plain') . '; charset=' . $this->CharSet . "\r\n";
        }
        return $h;
    }

    protected function buildBody(): string
    {
        if (!($this->isHtml && $this->AltBody !== '')) {
            return $this->Body;
        }
        return '--' . $this->boundary . "\r\nContent-Type: text/plain; charset=" . $this->CharSet . "\r\n\r\n" . $this->AltBody . "\r\n"
            . '--' . $this->boundary . "\r\nContent-Type: text/html; charset=" . $this->CharSet . "\r\n\r\n" . $this->Body . "\r\n"
            . '--' . $this->boundary . "--\r\n";
    }

    public function send(): bool
    {
        if ($this->to === []) {
            $this->ErrorInfo = 'No recipients';
            return false;
        }
        $ok = true;
        $headers = $this->buildHeaders();
        $body = $this->buildBody();
        $subject = $this->encodeHeader($this->secureHeader($this->Subject));
        foreach ($this->to as [$address, $name]) {
            $rcpt = $name !== '' ? $this->encodeHeader($name) . ' <' . $address . '>' : $address;
            $ok = mail($rcpt, $subject, $body, $headers, '-f' . escapeshellarg($this->From)) && $ok;
        }
        return $ok;
    }
}
