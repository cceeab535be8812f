<?php
/**
 * clean test file: code that *mentions* dangerous function names only in
 * comments, strings and config keys. Nothing is ever evaluated: a security
 * hardening config that lists disabled functions, and a code-style linter
 * that reports forbidden calls.
 *
 * Note: never use eval() or assert() with strings in this codebase.
 */

return [
    'security' => [
        'eval' => false,                  // the expression language never falls back to eval
        'allow_shell' => false,
        'disable_functions' => 'exec,passthru,shell_exec,system,proc_open,popen,pcntl_exec',
        'forbidden_calls' => ['eval', 'assert', 'create_function', 'base64_decode', 'gzinflate', 'str_rot13'],
        'messages' => [
            'eval' => 'Do not use eval(); use a parser instead.',
            'system' => 'system() is disabled on this host; use the Process component.',
            'base64_decode' => 'base64_decode() on user input must be followed by validation.',
        ],
    ],
    'lint' => [
        'rules' => [
            'no-eval' => 'error',
            'no-implied-eval' => 'error',
            'no-new-func' => 'warn',
        ],
        'docs' => 'See https://eslint.org/docs/latest/rules/no-eval for why "eval(\'code\')" is bad.',
    ],
];
