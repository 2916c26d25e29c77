"""Extract the response schemas the simulator serves from GitHub's official OpenAPI description.

Source: the npm package ``@octokit/openapi`` pinned at 23.0.2, file
``generated/api.github.com.json`` (the non-dereferenced description; the
needed components are copied alongside the operations).

Regenerate::

    python tests/openapi/extract_schemas.py                 # runs `npm pack @octokit/openapi@23.0.2`
    python tests/openapi/extract_schemas.py --package DIR_OR_TGZ_OR_JSON

Output: ``tests/openapi/github_schemas.json``::

    {"source": {...},
     "operations": {"GET /orgs/{org}": {"operationId": "orgs/get",
                                       "responses": {"200": <schema>, "404": <schema>, "204": null}}},
     "components": {"schemas": {"simple-user": <schema>, ...}}}

Schemas are converted from OpenAPI 3.0 to plain JSON Schema (``nullable`` becomes
a ``"null"`` type, ``discriminator``/``example``/``description`` are dropped), and
``$ref``s point to ``#/components/schemas/...`` inside the same file, so a
validator only needs ``{"components": extract["components"], **schema}``.
The operations are exactly the simulator's routes (``ghsim.ROUTES``). An operation that
``api.github.com.json`` lacks because GitHub documents it for Enterprise Cloud only (the custom
repository roles) is taken from ``ghec.json`` in the same package.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "simulator"))

import ghsim  # noqa: E402

PACKAGE = "@octokit/openapi"
VERSION = "23.0.2"
MEMBER = "package/generated/api.github.com.json"
GHEC_MEMBER = "package/generated/ghec.json"
DROP_KEYS = {"description", "example", "examples", "discriminator", "externalDocs", "deprecated", "readOnly",
             "writeOnly", "x-github", "title", "summary"}


def load_description(package: str | None, member: str = MEMBER) -> dict:
    if package is None:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}"], cwd=tmp, check=True,
                           stdout=subprocess.DEVNULL)
            tgz = next(Path(tmp).glob("*.tgz"))
            return load_description(str(tgz), member)
    path = Path(package)
    name = member.removeprefix("package/")
    if path.is_dir():
        for candidate in (path / name, path / member):
            if candidate.exists():
                return json.loads(candidate.read_text(encoding="utf-8"))
        raise SystemExit(f"no {name} under {path}")
    if path.suffix in (".tgz", ".gz"):
        with tarfile.open(path) as tar:
            return json.load(tar.extractfile(member))
    if member != MEMBER:
        return json.loads((path.parent / Path(name).name).read_text(encoding="utf-8"))
    return json.loads(path.read_text(encoding="utf-8"))


def convert(node):
    """OpenAPI 3.0 schema -> JSON Schema, keeping $refs."""
    if isinstance(node, list):
        return [convert(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("properties", "patternProperties") and isinstance(value, dict):
            out[key] = {name: convert(sub) for name, sub in value.items()}  # property names are kept as is
        elif key not in DROP_KEYS and key != "nullable" and not key.startswith("x-"):
            out[key] = convert(value)
    if node.get("nullable"):
        if "type" in out and isinstance(out["type"], str):
            out["type"] = [out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = out["enum"] + [None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def collect_refs(node, found: set) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            collect_refs(value, found)
    elif isinstance(node, list):
        for value in node:
            collect_refs(value, found)


def extract(description: dict, ghec: dict | None = None) -> dict:
    components = dict(description["components"])
    operations = {}
    for method, template, _handler, _is_list in ghsim.ROUTES:
        source = description if template in description["paths"] or ghec is None else ghec
        op = source["paths"][template][method.lower()]
        if source is not description:  # Enterprise Cloud only: its components come from ghec.json
            for kind in ("schemas", "responses"):
                components[kind] = dict(ghec["components"][kind], **components[kind])
        responses = {}
        for status, response in op["responses"].items():
            if "$ref" in response:
                response = components["responses"][response["$ref"].rsplit("/", 1)[1]]
            content = response.get("content") or {}
            media = content.get("application/json") or next(iter(content.values()), None)
            responses[status] = convert(media["schema"]) if media and "schema" in media else None
        operations[f"{method} {template}"] = {"operationId": op.get("operationId"), "responses": responses}
    needed: set = set()
    collect_refs(operations, needed)
    schemas: dict = {}
    while needed:
        name = needed.pop()
        if name in schemas:
            continue
        schemas[name] = convert(components["schemas"][name])
        more: set = set()
        collect_refs(schemas[name], more)
        needed |= more - set(schemas)
    return {
        "source": {"package": PACKAGE, "version": VERSION, "file": MEMBER.removeprefix("package/"),
                   "openapi": description.get("openapi"), "info_version": description["info"].get("version")},
        "operations": operations,
        "components": {"schemas": dict(sorted(schemas.items()))},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--package", help="unpacked package dir, the .tgz, or api.github.com.json "
                                          "(default: npm pack the pinned version)")
    parser.add_argument("--output", default=str(HERE / "github_schemas.json"))
    args = parser.parse_args(argv)
    result = extract(load_description(args.package), load_description(args.package, GHEC_MEMBER))
    Path(args.output).write_text(json.dumps(result, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.output}: {len(result['operations'])} operations, "
          f"{len(result['components']['schemas'])} schemas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
