"""The versioned read API (/api/v1/): Django REST framework, its schema by drf-spectacular."""
