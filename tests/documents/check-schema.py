#!/usr/bin/env python3
"""check-schema.py SCHEMA DOCUMENT...: every document validates against the
dashboard JSON Schema, and the schema itself is a valid 2020-12 schema."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failed = 0
for path in sys.argv[2:]:
    for error in validator.iter_errors(json.load(open(path, encoding="utf-8"))):
        print(f"{path}: $.{'.'.join(str(p) for p in error.absolute_path)}: {error.message}")
        failed += 1
# A broken document must not validate.
broken = {"tessera": 1, "fragments": [{"id": "a", "views": [{"type": "pie"}]}]}
if not list(validator.iter_errors(broken)):
    print("the schema accepts an unknown view type")
    failed += 1
sys.exit(1 if failed else 0)
