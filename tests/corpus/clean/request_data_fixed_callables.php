<?php
/**
 * clean test file: request data passed to array_map/array_filter/usort, but
 * the callables are fixed by the code (trim, intval, closures); assert() is
 * used with a boolean expression, never with a string.
 */

declare(strict_types=1);

$tags = array_filter(array_map('trim', explode(',', (string) ($_POST['tags'] ?? ''))), 'strlen');
$ids = array_map('intval', (array) ($_GET['ids'] ?? []));
$ids = array_values(array_filter($ids, static fn (int $id): bool => $id > 0));

$products = [
    ['name' => 'Lamp', 'price' => 29.9],
    ['name' => 'Chair', 'price' => 89.0],
    ['name' => 'Desk', 'price' => 249.0],
];
$sort = in_array($_GET['sort'] ?? '', ['name', 'price'], true) ? $_GET['sort'] : 'name';
usort($products, static fn (array $a, array $b): int => $a[$sort] <=> $b[$sort]);

assert(count($products) === 3, 'fixture size');
assert($ids === array_values($ids));

$formatters = [
    'upper' => 'strtoupper',
    'lower' => 'strtolower',
    'title' => 'ucwords',
];
$mode = $_GET['case'] ?? 'title';
$fmt = $formatters[$mode] ?? $formatters['title'];   // allow-listed callable
echo htmlspecialchars($fmt(implode(', ', $tags)));
echo json_encode(['ids' => $ids, 'products' => $products]);
