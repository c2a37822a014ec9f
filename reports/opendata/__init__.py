"""Open data: the approved results and the plan as CSV, XLSX and JSON files with a Frictionless data package."""
