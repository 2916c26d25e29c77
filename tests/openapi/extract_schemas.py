"""Extract the response schemas the simulator serves from GitHub's official OpenAPI description.

Source: the npm package ``@octokit/openapi`` pinned at 23.0.2, file
``generated/api.github.com.json`` (the non-dereferenced description; the
needed components are copied alongside the operations).

Regenerate::

    python tests/openapi/extract_schemas.py                 # runs `npm pack @octokit/openapi@23.0.2`
    python tests/openapi/extract_schemas.py --package DIR_OR_TGZ_OR_JSON

Outputs: ``tests/openapi/github_schemas.json`` (api.github.com, API version 2022-11-28)::

    {"source": {...},
     "operations": {"GET /orgs/{org}": {"operationId": "orgs/get",
                                       "responses": {"200": <schema>, "404": <schema>, "204": null}}},
     "components": {"schemas": {"simple-user": <schema>, ...}}}

Schemas are converted from OpenAPI 3.0 to plain JSON Schema (``nullable`` becomes
a ``"null"`` type, ``discriminator``/``example``/``description`` are dropped), and
``$ref``s point to ``#/components/schemas/...`` inside the same file, so a
validator only needs ``{"components": extract["components"], **schema}``.
The operations are exactly the simulator's routes (``ghsim.ROUTES``).

and ``tests/openapi/flavour_schemas.json``, what the simulator's other flavours change, kept small by
holding only the operations and component schemas that differ from ``github_schemas.json``::

    {"source": {...},
     "flavours": {
       "ghes": {"file": "generated/ghes-3.19.json", "absent": ["GET /orgs/{org}/invitations", ...],
                "absent_by_release": {"3.17": [...], "3.18": [...], "3.19": [...]},
                "operations": {<differing operations>}, "schemas": {<differing schemas>}},
       "2026-03-10": {"file": "generated/api.github.com.json", "changesets": [<applied changesets>],
                      "operations": {...}, "schemas": {...}}}}

``ghes`` is GHES 3.19's description; ``2026-03-10`` is api.github.com's description with every
``x-github-breaking-changes`` entry of that version applied (a JSON merge patch or a JSON patch, as
GitHub's description gives them) to the operations and component schemas.
A test builds a flavour's view as ``github_schemas.json`` overlaid with the flavour's entries.
"""

from __future__ import annotations

import argparse
import copy
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
GHES_RELEASES = ("3.17", "3.18", "3.19")
GHES_FILE = "generated/ghes-{}.json"
NEW_VERSION = "2026-03-10"
DROP_KEYS = {"description", "example", "examples", "discriminator", "externalDocs", "deprecated", "readOnly",
             "writeOnly", "x-github", "title", "summary"}


def load_description(package: str | None, member: str = MEMBER) -> dict:
    """One description of the package (``member``: its path in the .tgz, e.g. package/generated/x.json)."""
    if package is None:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}"], cwd=tmp, check=True,
                           stdout=subprocess.DEVNULL)
            tgz = next(Path(tmp).glob("*.tgz"))
            return load_description(str(tgz), member)
    path = Path(package)
    rel = member.removeprefix("package/")
    if path.is_dir():
        for candidate in (path / rel, path / "package" / rel):
            if candidate.exists():
                return json.loads(candidate.read_text(encoding="utf-8"))
        raise SystemExit(f"no {rel} under {path}")
    if path.suffix in (".tgz", ".gz"):
        with tarfile.open(path) as tar:
            return json.load(tar.extractfile(member))
    if member != MEMBER:
        return json.loads((path.parent / Path(rel).name).read_text(encoding="utf-8"))  # a sibling file
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


def absent_operations(description: dict) -> list[str]:
    """The simulator's operations a description does not have."""
    return [f"{m} {t}" for m, t, _h, _l in ghsim.ROUTES if m.lower() not in description["paths"].get(t, {})]


def extract(description: dict, ghec: dict | None = None) -> dict:
    """``ghec``: Enterprise Cloud's description, for operations api.github.com.json lacks (custom repository roles)."""
    components = dict(description["components"])
    operations = {}
    for method, template, _handler, _is_list in ghsim.ROUTES:
        op = description["paths"].get(template, {}).get(method.lower())
        if op is None and ghec is not None and method.lower() in ghec["paths"].get(template, {}):
            op = ghec["paths"][template][method.lower()]
            for kind in ("schemas", "responses"):  # its components come from ghec.json
                components[kind] = dict(ghec["components"][kind], **components[kind])
        if op is None:
            continue  # see absent_operations()
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


def _pointer(path: str) -> list:
    return [part.replace("~1", "/").replace("~0", "~") for part in path.lstrip("/").split("/")]


def json_patch(target, ops: list):
    """RFC 6902 (the ``remove``, ``replace`` and ``add`` operations GitHub's description uses)."""
    for op in ops:
        *parents, last = _pointer(op["path"])
        node = target
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            index = len(node) if last == "-" else int(last)
            if op["op"] == "remove":
                del node[index]
            elif op["op"] == "replace":
                node[index] = copy.deepcopy(op["value"])
            else:
                node.insert(index, copy.deepcopy(op["value"]))
        elif op["op"] == "remove":
            del node[last]
        elif op["op"] in ("replace", "add"):
            node[last] = copy.deepcopy(op["value"])
        else:
            raise ValueError(f"unsupported JSON patch operation {op['op']}")
    return target


def merge_patch(target, patch):
    """RFC 7386: ``null`` deletes a key, objects merge, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if not isinstance(target, dict):
        target = {}
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = merge_patch(target.get(key), value)
    return target


def apply_breaking_changes(description: dict, version: str) -> tuple[dict, list[str]]:
    """The description as API ``version`` serves it, and the names of the changesets applied."""
    result = copy.deepcopy(description)
    applied = []

    def apply(node: dict, where: str) -> dict:
        for change in node.get("x-github-breaking-changes") or []:
            if change.get("version") != version:
                continue
            patch = change["patch"]
            node = json_patch(node, patch) if isinstance(patch, list) else merge_patch(node, patch)
            applied.append((where, change["changeset"]))
        return node

    for method, template, _h, _l in ghsim.ROUTES:
        ops = result["paths"].get(template, {})
        if method.lower() in ops:
            ops[method.lower()] = apply(ops[method.lower()], f"{method} {template}")
    schemas = result["components"]["schemas"]
    for name in list(schemas):
        schemas[name] = apply(schemas[name], name)
    return result, applied


def overlay(base: dict, other: dict) -> dict:
    """The operations and component schemas of ``other`` that differ from ``base``."""
    ops = {k: v for k, v in other["operations"].items() if base["operations"].get(k) != v}
    schemas = {k: v for k, v in other["components"]["schemas"].items()
               if base["components"]["schemas"].get(k) != v}
    return {"operations": ops, "schemas": schemas}


def extract_flavours(package: str | None, base: dict) -> dict:
    flavours = {}
    absent_by_release = {}
    for release in GHES_RELEASES:
        absent_by_release[release] = absent_operations(
            load_description(package, "package/" + GHES_FILE.format(release)))
    newest = load_description(package, "package/" + GHES_FILE.format(GHES_RELEASES[-1]))
    flavours["ghes"] = {"file": GHES_FILE.format(GHES_RELEASES[-1]), "absent": absent_operations(newest),
                        "absent_by_release": absent_by_release, **overlay(base, extract(newest))}
    changed, applied = apply_breaking_changes(load_description(package), NEW_VERSION)
    view = extract(changed)
    served = set(view["operations"]) | set(view["components"]["schemas"])
    changesets = sorted({name for where, name in applied if where in served})  # those touching what we serve
    flavours[NEW_VERSION] = {"file": MEMBER.removeprefix("package/"), "changesets": changesets,
                             **overlay(base, view)}
    return {"source": dict(base["source"], file=None), "flavours": flavours}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--package", help="unpacked package dir, the .tgz, or api.github.com.json "
                                          "(default: npm pack the pinned version)")
    parser.add_argument("--output", default=str(HERE / "github_schemas.json"))
    parser.add_argument("--flavour-output", default=str(HERE / "flavour_schemas.json"))
    args = parser.parse_args(argv)
    result = extract(load_description(args.package), load_description(args.package, GHEC_MEMBER))
    Path(args.output).write_text(json.dumps(result, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.output}: {len(result['operations'])} operations, "
          f"{len(result['components']['schemas'])} schemas")
    flavours = extract_flavours(args.package, result)
    Path(args.flavour_output).write_text(json.dumps(flavours, indent=1) + "\n", encoding="utf-8")
    for name, view in flavours["flavours"].items():
        print(f"wrote {args.flavour_output} [{name}]: {len(view['operations'])} operations and "
              f"{len(view['schemas'])} schemas differ, absent: {view.get('absent', [])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
