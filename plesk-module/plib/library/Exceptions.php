<?php
/**
 * The `WebTotem\…` exception classes for PHP without the `webtotem` extension,
 * and a factory that maps a class name reported by the core to one of them.
 *
 * When the extension is loaded it defines these classes itself. When it is
 * not (the Plesk panel), this file declares plain PHP classes with the same
 * names and hierarchy, so `catch (WebTotem\Exception)` works the same in
 * both cases. Every class is declared only if no class of
 * that name exists yet, so this file never clashes with the extension.
 *
 * Plesk's autoloader finds `Modules_WebtotemSecurity_Exceptions` here; the
 * `WebTotem\…` classes are not autoloadable, so files that throw them
 * `require_once` this file.
 */
declare(strict_types=1);

namespace WebTotem {
    if (!\extension_loaded('webtotem')) {
        if (!\class_exists(Exception::class, false)) {
            /** The base of every exception the WebTotem core throws. */
            class Exception extends \Exception
            {
            }
        }
        if (!\class_exists(InvalidArgumentException::class, false)) {
            /** A caller passed a value the core cannot accept. */
            class InvalidArgumentException extends Exception
            {
            }
        }
        if (!\class_exists(IoException::class, false)) {
            /** A file or directory could not be read or written. */
            class IoException extends Exception
            {
            }
        }
        if (!\class_exists(InternalException::class, false)) {
            /** A bug in the core, or the core could not be run; never the caller's fault. */
            class InternalException extends Exception
            {
            }
        }
        if (!\class_exists(ApiException::class, false)) {
            /**
             * The WebTotem cloud API refused a call or could not be reached; the
             * message starts with the error code in brackets, getCode() is its number.
             */
            class ApiException extends Exception
            {
            }
        }
    }
}

namespace {
    /**
     * Turns the error a core transport reports (an exception class name and a
     * message, e.g. from the CLI's JSON) into a `WebTotem\…` exception.
     *
     * Only the classes in {@see self::CLASSES} are ever created; any other
     * name becomes a `WebTotem\Exception`, so output can never choose an
     * arbitrary class to instantiate.
     */
    final class Modules_WebtotemSecurity_Exceptions
    {
        /** The exception classes that may be created, by exact name. */
        public const CLASSES = [
            'WebTotem\\Exception',
            'WebTotem\\InvalidArgumentException',
            'WebTotem\\IoException',
            'WebTotem\\InternalException',
            'WebTotem\\ApiException',
        ];

        /** Whether `$class` is one of the allowed exception classes (exact spelling). */
        public static function isAllowed(string $class): bool
        {
            return \in_array($class, self::CLASSES, true);
        }

        /**
         * A new exception of `$class` (`WebTotem\Exception` when not allowed)
         * with `$message` and `$code` (the API error number for `ApiException`).
         */
        public static function create(string $class, string $message, ?\Throwable $previous = null, int $code = 0): \WebTotem\Exception
        {
            if (!self::isAllowed($class)) {
                $class = 'WebTotem\\Exception';
            }
            return new $class($message, $code, $previous);
        }
    }
}
