<?php
/**
 * clean test file: base64_decode() of configuration values (an encryption key
 * stored as base64 in .env, a signing public key, a basic-auth header being
 * parsed). The decoded data is used as bytes/strings, never executed.
 */

declare(strict_types=1);

namespace Example\Config;

final class Secrets
{
    private const DEFAULT_APP_KEY = 'base64:zd28RidAIibZEuTiuwh3WICOrqCyUm3FKY6KxjVqppY=';
    private const UPDATE_PUBLIC_KEY = 'xhK7crPc72zeM6DLktlASoNgH9WrS0jmn6RBwnZLrEw=';

    public static function appKey(): string
    {
        $key = getenv('APP_KEY') ?: self::DEFAULT_APP_KEY;
        if (str_starts_with($key, 'base64:')) {
            $key = base64_decode(substr($key, 7), true);
        }
        if (!is_string($key) || strlen($key) !== SODIUM_CRYPTO_SECRETBOX_KEYBYTES) {
            throw new \RuntimeException('APP_KEY must be 32 bytes');
        }
        return $key;
    }

    public static function encrypt(string $plain): string
    {
        $nonce = random_bytes(SODIUM_CRYPTO_SECRETBOX_NONCEBYTES);
        return base64_encode($nonce . sodium_crypto_secretbox($plain, $nonce, self::appKey()));
    }

    public static function decrypt(string $encoded): ?string
    {
        $raw = base64_decode($encoded, true);
        if ($raw === false || strlen($raw) < SODIUM_CRYPTO_SECRETBOX_NONCEBYTES) {
            return null;
        }
        $plain = sodium_crypto_secretbox_open(
            substr($raw, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES),
            substr($raw, 0, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES),
            self::appKey()
        );
        return $plain === false ? null : $plain;
    }

    public static function verifyUpdate(string $package, string $signatureB64): bool
    {
        return sodium_crypto_sign_verify_detached(
            base64_decode($signatureB64, true) ?: '',
            $package,
            base64_decode(self::UPDATE_PUBLIC_KEY, true)
        );
    }

    /** @return array{0: string, 1: string}|null */
    public static function basicAuth(string $header): ?array
    {
        if (!preg_match('/^Basic\s+([A-Za-z0-9+\/=]+)$/', $header, $m)) {
            return null;
        }
        $pair = base64_decode($m[1], true);
        if ($pair === false || !str_contains($pair, ':')) {
            return null;
        }
        return explode(':', $pair, 2);
    }
}
