#!/usr/bin/env python3
"""Builds hookscope's GitHub catalog from GitHub's published webhook data.

    make-github-catalog.py BASE.json OCTOKIT_DIR OUT.json

BASE.json holds what the published data does not say (the provider's name, its
event header, the headers GitHub sends). OCTOKIT_DIR is a folder holding the npm
packages @octokit/webhooks-schemas (schema.json: one draft-07 definition per event
and action) and @octokit/webhooks-examples (api.github.com/index.json: GitHub's
example payloads), both MIT-licensed. Every event and action of the schema
becomes an event or action of the catalog, checked against its definition; its
templates are GitHub's examples of it and, last, the smallest payload the
definition accepts: the catalog takes the first its schema accepts.
"""

import json
import sys

# A hint for TypeScript type generation in the published schema, not a JSON Schema keyword.
TYPESCRIPT_HINTS = {"tsAdditionalProperties"}

FORMAT_SAMPLES = {
    "date-time": "2024-05-31T12:00:00Z",
    "date": "2024-05-31",
    "time": "12:00:00Z",
    "uri": "https://github.com/octo-org/hello-world",
    "uri-template": "https://api.github.com/repos/octo-org/hello-world{/path}",
    "email": "octocat@github.com",
    "hostname": "github.com",
}


def without_hints(value):
    if isinstance(value, dict):
        return {k: without_hints(v) for k, v in value.items() if k not in TYPESCRIPT_HINTS}
    if isinstance(value, list):
        return [without_hints(v) for v in value]
    return value


class Sampler:
    """The smallest value a definition accepts: required members only, the first enum value."""

    def __init__(self, definitions):
        self.definitions = definitions

    def resolve(self, schema):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 32:
            schema = self.definitions[schema["$ref"].split("/")[-1]]
            seen += 1
        return schema

    def sample(self, schema, depth=0):
        schema = self.resolve(schema)
        if depth > 24 or schema is True or schema == {}:
            return None
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][0]
        if "allOf" in schema:
            merged = {}
            for part in schema["allOf"]:
                value = self.sample(part, depth + 1)
                if isinstance(value, dict):
                    merged.update(value)
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            if rest.get("properties") or rest.get("required"):
                value = self.sample(rest, depth + 1)
                if isinstance(value, dict):
                    merged.update(value)
            return merged
        for keyword in ("oneOf", "anyOf"):
            if keyword in schema:
                branches = schema[keyword]
                # A null branch is the smallest payload that still reads naturally.
                plain = [b for b in branches if self.resolve(b).get("type") != "null"] or branches
                return self.sample(plain[0], depth + 1)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = "null" if "null" in kind else kind[0]
        if kind == "object" or (kind is None and ("properties" in schema or "required" in schema)):
            properties = schema.get("properties", {})
            return {name: self.sample(properties.get(name, {}), depth + 1) for name in schema.get("required", [])}
        if kind == "array":
            return [self.sample(schema["items"], depth + 1) for _ in range(schema.get("minItems", 0))] \
                if isinstance(schema.get("items"), dict) else []
        if kind == "string":
            return FORMAT_SAMPLES.get(schema.get("format"), "x" * schema.get("minLength", 1))
        if kind == "integer":
            return max(1, schema.get("minimum", 1))
        if kind == "number":
            return max(1, schema.get("minimum", 1))
        if kind == "boolean":
            return False
        return None


def describe(text):
    return " ".join((text or "").split())


def main():
    base_path, octokit_dir, out_path = sys.argv[1:4]
    with open(base_path, encoding="utf-8") as f:
        catalog = json.load(f)
    with open(f"{octokit_dir}/webhooks-schemas/schema.json", encoding="utf-8") as f:
        schema = without_hints(json.load(f))
    with open(f"{octokit_dir}/webhooks-examples/api.github.com/index.json", encoding="utf-8") as f:
        examples = {entry["name"]: entry for entry in json.load(f)}

    definitions = schema["definitions"]
    sampler = Sampler(definitions)

    def fresh(example):
        # The hook's id comes fresh in each request, the same in the body and in X-GitHub-Hook-ID.
        example = json.loads(json.dumps(example))
        hook_id = "{{int:100000000..999999999 #hook}}"
        if "hook_id" in example:
            example["hook_id"] = hook_id
        if isinstance(example.get("hook"), dict) and "id" in example["hook"]:
            example["hook"]["id"] = hook_id
        return example

    def templates(event, action, definition):
        # GitHub's examples first; some predate members the schema now requires, so the
        # catalog takes the first that its schema accepts, else the smallest payload.
        found = [fresh(example) for example in examples.get(event, {}).get("examples", [])
                 if (action is None or example.get("action") == action) and "{{" not in json.dumps(example)]
        return found + [sampler.sample(definition)]

    events = {}
    for ref in schema["oneOf"]:
        name = ref["$ref"].split("/")[-1]
        info = examples.get(name.replace("_event", "").replace("$event", ""), {})
        if name.endswith("$event"):
            event = name[: -len("$event")]
            definition = definitions[name]
            events[event] = {
                "description": describe(info.get("description") or definition.get("description") or definition.get("title")),
                "schema": {"$ref": f"#/definitions/{name}"},
                "templates": templates(event, None, definition),
            }
            continue
        event = name[: -len("_event")]
        actions = {}
        for branch in definitions[name]["oneOf"]:
            key = branch["$ref"].split("/")[-1]
            action = key.split("$", 1)[1]
            definition = definitions[key]
            actions[action] = {
                "description": describe(definition.get("description") or definition.get("title")),
                "schema": {"$ref": f"#/definitions/{key}"},
                "templates": templates(event, action, definition),
            }
        events[event] = {"description": describe(info.get("description") or definitions[name].get("description")),
                         "actions": actions}

    catalog["definitions"] = definitions
    catalog["events"] = dict(sorted(events.items()))
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(catalog, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
