<?php
/**
 * Prints, as JSON, the API of the `webtotem` extension as PHP sees it:
 * functions (parameters, types, defaults, attributes such as
 * SensitiveParameter, return types), classes (parents, public properties,
 * the methods they declare, described as functions) and constants.
 *
 *   php -d extension=/abs/libwebtotem.so scripts/describe-api.php ext
 *   php scripts/describe-api.php stubs php-stubs/webtotem.stubs.php
 *
 * scripts/check-stubs.sh compares the two, so the stubs cannot drift from
 * the built extension. In `stubs` mode every item must have a doc comment.
 */
declare(strict_types=1);

function describeType(?ReflectionType $t): ?string
{
    return $t === null ? null : (string) $t;
}

function describeFunction(ReflectionFunctionAbstract $f): array
{
    $params = [];
    foreach ($f->getParameters() as $p) {
        $params[] = [
            'name' => $p->getName(),
            'type' => describeType($p->getType()),
            'optional' => $p->isOptional(),
            'default' => $p->isDefaultValueAvailable() ? var_export($p->getDefaultValue(), true) : null,
            'attributes' => array_map(fn ($a) => $a->getName(), $p->getAttributes()),
        ];
    }
    return ['params' => $params, 'return' => describeType($f->getReturnType())];
}

function describeClass(ReflectionClass $c): array
{
    $parent = $c->getParentClass();
    return [
        'parent' => $parent ? $parent->getName() : null,
        'interfaces' => array_values(array_filter(
            $c->getInterfaceNames(),
            fn ($i) => !in_array($i, ['Throwable', 'Stringable'], true)
        )),
        'final' => $c->isFinal(),
        'abstract' => $c->isAbstract(),
        'constants' => $c->getConstants(),
        'properties' => array_map(fn ($p) => $p->getName(), $c->getProperties(ReflectionProperty::IS_PUBLIC)),
        'methods' => describeMethods($c),
    ];
}

/** The methods `$c` declares itself (not inherited), by name, with visibility. */
function describeMethods(ReflectionClass $c): array
{
    $methods = [];
    foreach ($c->getMethods() as $m) {
        if ($m->getDeclaringClass()->getName() !== $c->getName()) {
            continue;
        }
        $methods[$m->getName()] = describeFunction($m) + [
            'static' => $m->isStatic(),
            'visibility' => $m->isPublic() ? 'public' : ($m->isProtected() ? 'protected' : 'private'),
        ];
    }
    ksort($methods);
    return $methods;
}

[$self, $mode] = [$argv[0], $argv[1] ?? ''];
$functions = [];
$classes = [];
$constants = [];
$missingDocs = [];

if ($mode === 'ext') {
    $ext = new ReflectionExtension('webtotem');
    $functions = $ext->getFunctions();
    $classes = array_map(fn ($n) => new ReflectionClass($n), $ext->getClassNames());
    $constants = $ext->getConstants();
} elseif ($mode === 'stubs' && isset($argv[2])) {
    $beforeFunctions = get_defined_functions()['user'];
    $beforeClasses = get_declared_classes();
    $beforeConstants = array_keys(get_defined_constants());
    require $argv[2];
    foreach (array_diff(get_defined_functions()['user'], $beforeFunctions) as $name) {
        $functions[] = new ReflectionFunction($name);
    }
    foreach (array_diff(get_declared_classes(), $beforeClasses) as $name) {
        $classes[] = new ReflectionClass($name);
    }
    foreach (array_diff_key(get_defined_constants(), array_flip($beforeConstants)) as $k => $v) {
        $constants[$k] = $v;
    }
    foreach ([...$functions, ...$classes] as $item) {
        if ($item->getDocComment() === false) {
            $missingDocs[] = $item->getName();
        }
    }
    foreach ($classes as $c) {
        foreach ($c->getMethods() as $m) {
            if ($m->getDeclaringClass()->getName() === $c->getName() && $m->getDocComment() === false) {
                $missingDocs[] = $c->getName() . '::' . $m->getName();
            }
        }
    }
} else {
    fwrite(STDERR, "usage: $self ext | stubs FILE\n");
    exit(2);
}

$out = ['functions' => [], 'classes' => [], 'constants' => $constants];
foreach ($functions as $f) {
    $out['functions'][strtolower($f->getName())] = describeFunction($f);
}
foreach ($classes as $c) {
    $out['classes'][$c->getName()] = describeClass($c);
}
ksort($out['functions']);
ksort($out['classes']);
ksort($out['constants']);
echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
if ($missingDocs) {
    fwrite(STDERR, 'stubs without a doc comment: ' . implode(', ', $missingDocs) . "\n");
    exit(1);
}
