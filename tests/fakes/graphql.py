"""Just enough GraphQL to answer GitHub's ``POST /graphql`` the way GitHub does.

A checker batches repositories into one query with aliases::

    query { r0: repository(owner: "a", name: "b") { nameWithOwner isArchived }
            r1: repository(owner: "c", name: "d") { url defaultBranchRef { name } } }

and must then cope with what GitHub answers: ``data`` holding one key per
alias with only the fields asked for, a renamed repository answering under its
new ``nameWithOwner``, a missing one as ``null`` plus an ``errors[]`` entry of
type ``NOT_FOUND`` whose ``path`` is the alias (the 2024 capture's key order:
``type``, ``path``, ``locations``, ``message``). A query asking for a field the
schema lacks fails validation as a whole (``errors`` only, no ``data``), so a
typo in a checker's query shows up in its tests rather than in production.

The parser is a small recursive-descent one over the executable subset of the
language: operations with variables, aliases, arguments of every literal kind,
nested selections, inline fragments and named fragments. The schema is the
slice of GitHub's a link checker needs (``repository``, ``rateLimit``, refs,
``object(expression:)`` for paths).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .world import FakeRepo, GitHubWorld

# --------------------------------------------------------------------------- lexer


class GraphQLSyntaxError(Exception):
    """A query that does not parse; GitHub answers it with a ``Parse error`` message."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Token:
    kind: str
    """``name``, ``punct``, ``string``, ``int``, ``float`` or ``eof``."""
    value: str
    line: int
    column: int


_PUNCT = set("!$&()=:@[]{}|")
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?P<frac>\.\d+)?(?P<exp>[eE][+-]?\d+)?")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def tokenize(source: str) -> list[Token]:
    """Split ``source`` into tokens with 1-based line and column (commas count as whitespace)."""
    tokens: list[Token] = []
    i, line, line_start = 0, 1, 0
    n = len(source)
    while i < n:
        ch = source[i]
        column = i - line_start + 1
        if ch == "\n":
            i += 1
            line, line_start = line + 1, i
            continue
        if ch in " \t\r,\ufeff":
            i += 1
            continue
        if ch == "#":
            while i < n and source[i] != "\n":
                i += 1
            continue
        if source.startswith("...", i):
            tokens.append(Token("punct", "...", line, column))
            i += 3
            continue
        if ch in _PUNCT:
            tokens.append(Token("punct", ch, line, column))
            i += 1
            continue
        if source.startswith('"""', i):
            end = source.find('"""', i + 3)
            if end < 0:
                raise GraphQLSyntaxError("Unterminated string", line, column)
            text = source[i + 3 : end]
            tokens.append(Token("string", text, line, column))
            line += text.count("\n")
            if "\n" in text:
                line_start = i + 3 + text.rfind("\n") + 1
            i = end + 3
            continue
        if ch == '"':
            j, out = i + 1, []
            while True:
                if j >= n or source[j] == "\n":
                    raise GraphQLSyntaxError("Unterminated string", line, column)
                c = source[j]
                if c == '"':
                    break
                if c == "\\":
                    nxt = source[j + 1 : j + 2]
                    if nxt == "u":
                        out.append(chr(int(source[j + 2 : j + 6], 16)))
                        j += 6
                        continue
                    if nxt not in _ESCAPES:
                        raise GraphQLSyntaxError("Bad escape", line, j - line_start + 1)
                    out.append(_ESCAPES[nxt])
                    j += 2
                    continue
                out.append(c)
                j += 1
            tokens.append(Token("string", "".join(out), line, column))
            i = j + 1
            continue
        number = _NUMBER.match(source, i)
        if number and (ch.isdigit() or ch == "-"):
            kind = "float" if number.group("frac") or number.group("exp") else "int"
            tokens.append(Token(kind, number.group(0), line, column))
            i = number.end()
            continue
        name = _NAME.match(source, i)
        if name:
            tokens.append(Token("name", name.group(0), line, column))
            i = name.end()
            continue
        raise GraphQLSyntaxError(f'Parse error on "{ch}"', line, column)
    tokens.append(Token("eof", "", line, i - line_start + 1))
    return tokens


# --------------------------------------------------------------------------- syntax tree


@dataclass(frozen=True)
class Variable:
    name: str


@dataclass(frozen=True)
class EnumValue:
    name: str


@dataclass
class Field:
    name: str
    alias: str | None
    arguments: dict[str, Any]
    selections: list[Selection]
    line: int
    column: int

    @property
    def key(self) -> str:
        """The key this field answers under: its alias, else its name."""
        return self.alias or self.name


@dataclass
class InlineFragment:
    type_condition: str | None
    selections: list[Selection]
    line: int
    column: int


@dataclass
class FragmentSpread:
    name: str
    line: int
    column: int


Selection = Field | InlineFragment | FragmentSpread


@dataclass
class Operation:
    kind: str
    name: str | None
    defaults: dict[str, Any]
    selections: list[Selection]


@dataclass
class Document:
    operations: list[Operation] = field(default_factory=list)
    fragments: dict[str, tuple[str, list[Selection]]] = field(default_factory=dict)


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.pos = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def _fail(self) -> GraphQLSyntaxError:
        t = self.tok
        shown = "end of file" if t.kind == "eof" else t.value
        kind = "EOF" if t.kind == "eof" else t.kind.upper()
        return GraphQLSyntaxError(
            f'Parse error on "{shown}" ({kind}) at [{t.line}, {t.column}]', t.line, t.column
        )

    def peek(self, value: str) -> bool:
        return self.tok.kind in {"punct", "name"} and self.tok.value == value

    def expect(self, value: str) -> Token:
        if not self.peek(value):
            raise self._fail()
        token = self.tok
        self.pos += 1
        return token

    def name(self) -> Token:
        if self.tok.kind != "name":
            raise self._fail()
        token = self.tok
        self.pos += 1
        return token

    def document(self) -> Document:
        doc = Document()
        while self.tok.kind != "eof":
            if self.peek("{"):
                doc.operations.append(Operation("query", None, {}, self.selection_set()))
            elif self.peek("fragment"):
                self.pos += 1
                name = self.name().value
                self.expect("on")
                type_name = self.name().value
                self.directives()
                doc.fragments[name] = (type_name, self.selection_set())
            elif self.tok.kind == "name" and self.tok.value in {
                "query",
                "mutation",
                "subscription",
            }:
                kind = self.name().value
                op_name = self.name().value if self.tok.kind == "name" else None
                defaults = self.variable_definitions() if self.peek("(") else {}
                self.directives()
                doc.operations.append(Operation(kind, op_name, defaults, self.selection_set()))
            else:
                raise self._fail()
        return doc

    def variable_definitions(self) -> dict[str, Any]:
        defaults: dict[str, Any] = {}
        self.expect("(")
        while not self.peek(")"):
            self.expect("$")
            name = self.name().value
            self.expect(":")
            self.type_ref()
            defaults[name] = self.value(const=True) if self.peek("=") and self._skip() else None
            self.directives()
        self.expect(")")
        return defaults

    def _skip(self) -> bool:
        self.pos += 1
        return True

    def type_ref(self) -> None:
        if self.peek("["):
            self.pos += 1
            self.type_ref()
            self.expect("]")
        else:
            self.name()
        if self.peek("!"):
            self.pos += 1

    def directives(self) -> None:
        while self.peek("@"):
            self.pos += 1
            self.name()
            if self.peek("("):
                self.arguments()

    def selection_set(self) -> list[Selection]:
        self.expect("{")
        selections: list[Selection] = []
        while not self.peek("}"):
            selections.append(self.selection())
        self.expect("}")
        if not selections:
            raise self._fail()
        return selections

    def selection(self) -> Selection:
        start = self.tok
        if self.peek("..."):
            self.pos += 1
            if self.peek("on"):
                self.pos += 1
                condition = self.name().value
                self.directives()
                return InlineFragment(condition, self.selection_set(), start.line, start.column)
            if self.peek("{") or self.peek("@"):
                self.directives()
                return InlineFragment(None, self.selection_set(), start.line, start.column)
            return FragmentSpread(self.name().value, start.line, start.column)
        first = self.name().value
        alias, name = None, first
        if self.peek(":"):
            self.pos += 1
            alias, name = first, self.name().value
        arguments = self.arguments() if self.peek("(") else {}
        self.directives()
        selections = self.selection_set() if self.peek("{") else []
        return Field(name, alias, arguments, selections, start.line, start.column)

    def arguments(self) -> dict[str, Any]:
        self.expect("(")
        args: dict[str, Any] = {}
        while not self.peek(")"):
            key = self.name().value
            self.expect(":")
            args[key] = self.value(const=False)
        self.expect(")")
        return args

    def value(self, *, const: bool) -> Any:
        t = self.tok
        if t.kind == "punct" and t.value == "$" and not const:
            self.pos += 1
            return Variable(self.name().value)
        if t.kind == "punct" and t.value == "[":
            self.pos += 1
            items = []
            while not self.peek("]"):
                items.append(self.value(const=const))
            self.pos += 1
            return items
        if t.kind == "punct" and t.value == "{":
            self.pos += 1
            obj = {}
            while not self.peek("}"):
                key = self.name().value
                self.expect(":")
                obj[key] = self.value(const=const)
            self.pos += 1
            return obj
        self.pos += 1
        if t.kind == "string":
            return t.value
        if t.kind == "int":
            return int(t.value)
        if t.kind == "float":
            return float(t.value)
        if t.kind == "name":
            return {"true": True, "false": False, "null": None}.get(t.value, EnumValue(t.value))
        self.pos -= 1
        raise self._fail()


def parse(source: str) -> Document:
    """Parse a query document; raises :class:`GraphQLSyntaxError`."""
    return _Parser(source).document()


# ------------------------------------------------------------------------- GitHub's schema (slice)

_GIT_OBJECT: dict[str, str | None] = {
    "oid": None,
    "abbreviatedOid": None,
    "id": None,
    "commitUrl": None,
}
_OWNER: dict[str, str | None] = {"login": None, "id": None, "url": None}
SCHEMA: dict[str, dict[str, str | None]] = {
    "Query": {"repository": "Repository", "rateLimit": "RateLimit"},
    "Repository": {
        "name": None,
        "nameWithOwner": None,
        "url": None,
        "id": None,
        "databaseId": None,
        "description": None,
        "homepageUrl": None,
        "isArchived": None,
        "isPrivate": None,
        "isDisabled": None,
        "isFork": None,
        "isEmpty": None,
        "isLocked": None,
        "visibility": None,
        "stargazerCount": None,
        "owner": "RepositoryOwner",
        "defaultBranchRef": "Ref",
        "ref": "Ref",
        "object": "GitObject",
    },
    "RepositoryOwner": _OWNER,
    "Organization": _OWNER,
    "User": _OWNER,
    "Ref": {"name": None, "prefix": None, "id": None, "target": "GitObject"},
    "GitObject": _GIT_OBJECT,
    "Commit": {**_GIT_OBJECT, "committedDate": None, "message": None, "url": None},
    "Blob": {**_GIT_OBJECT, "byteSize": None, "isBinary": None, "isTruncated": None, "text": None},
    "Tree": {**_GIT_OBJECT, "entries": "TreeEntry"},
    "TreeEntry": {"name": None, "path": None, "type": None, "mode": None, "oid": None},
    "RateLimit": {
        "limit": None,
        "cost": None,
        "remaining": None,
        "resetAt": None,
        "used": None,
        "nodeCount": None,
    },
}
INTERFACES = {"GitObject": {"Commit", "Blob", "Tree"}, "RepositoryOwner": {"Organization", "User"}}
REQUIRED = {
    ("Query", "repository"): ("owner", "name"),
    ("Repository", "ref"): ("qualifiedName",),
}


def _applies(condition: str | None, type_name: str) -> bool:
    return condition is None or condition == type_name or type_name in INTERFACES.get(condition, ())


def _location(line: int, column: int) -> list[dict[str, int]]:
    return [{"line": line, "column": column}]


def validate(doc: Document, operation: Operation) -> list[dict[str, Any]]:
    """Static errors (unknown fields, missing arguments, selection mismatches), GitHub's shapes."""
    errors: list[dict[str, Any]] = []
    head = operation.kind + (f" {operation.name}" if operation.name else "")

    def walk(selections: list[Selection], type_name: str, path: list[str], seen: set[str]) -> None:
        for sel in selections:
            if isinstance(sel, FragmentSpread):
                if sel.name not in doc.fragments:
                    errors.append(
                        {
                            "path": [*path, f"... {sel.name}"],
                            "extensions": {"code": "undefinedFragment", "fragmentName": sel.name},
                            "locations": _location(sel.line, sel.column),
                            "message": f"Fragment {sel.name} was used, but not defined",
                        }
                    )
                elif sel.name not in seen:
                    condition, inner = doc.fragments[sel.name]
                    walk(inner, condition, [*path, f"... {sel.name}"], seen | {sel.name})
                continue
            if isinstance(sel, InlineFragment):
                condition = sel.type_condition or type_name
                if condition not in SCHEMA:
                    errors.append(
                        {
                            "path": [*path, f"... on {condition}"],
                            "extensions": {"code": "undefinedType", "typeName": condition},
                            "locations": _location(sel.line, sel.column),
                            "message": f"No such type {condition}, so it can't be a fragment"
                            " condition",
                        }
                    )
                    continue
                walk(sel.selections, condition, [*path, f"... on {condition}"], seen)
                continue
            here = [*path, sel.key]
            if sel.name == "__typename":
                continue
            fields = SCHEMA[type_name]
            if sel.name not in fields:
                errors.append(
                    {
                        "path": here,
                        "extensions": {
                            "code": "undefinedField",
                            "typeName": type_name,
                            "fieldName": sel.name,
                        },
                        "locations": _location(sel.line, sel.column),
                        "message": f"Field '{sel.name}' doesn't exist on type '{type_name}'",
                    }
                )
                continue
            missing = [a for a in REQUIRED.get((type_name, sel.name), ()) if a not in sel.arguments]
            if missing:
                errors.append(
                    {
                        "path": here,
                        "extensions": {
                            "code": "missingRequiredArguments",
                            "className": "Field",
                            "name": sel.name,
                            "arguments": ", ".join(missing),
                        },
                        "locations": _location(sel.line, sel.column),
                        "message": f"Field '{sel.name}' is missing required arguments: "
                        + ", ".join(missing),
                    }
                )
            target = fields[sel.name]
            if target is None and sel.selections:
                errors.append(
                    {
                        "path": here,
                        "extensions": {
                            "code": "selectionMismatch",
                            "nodeName": f"field '{sel.name}'",
                            "typeName": "scalar",
                        },
                        "locations": _location(sel.line, sel.column),
                        "message": f"Selections can't be made on scalars (field '{sel.name}'"
                        " returns a scalar but has selections)",
                    }
                )
            elif target is not None and not sel.selections:
                errors.append(
                    {
                        "path": here,
                        "extensions": {
                            "code": "selectionMismatch",
                            "nodeName": f"field '{sel.name}'",
                            "typeName": target,
                        },
                        "locations": _location(sel.line, sel.column),
                        "message": f"Field must have selections (field '{sel.name}' returns"
                        f" {target} but has no selections. Did you mean '{sel.name} {{ ... }}'?)",
                    }
                )
            elif target is not None:
                walk(sel.selections, target, here, seen)

    walk(operation.selections, "Query", [head], set())
    return errors


# --------------------------------------------------------------------------- execution


@dataclass
class Node:
    """A resolved object: its concrete GraphQL type and the values behind its fields."""

    type_name: str
    values: dict[str, Any]


@dataclass
class Context:
    world: GitHubWorld
    token: str | None
    variables: dict[str, Any]
    doc: Document
    errors: list[dict[str, Any]] = field(default_factory=list)
    cost: int = 1


def _arg(value: Any, variables: dict[str, Any]) -> Any:
    if isinstance(value, Variable):
        return variables.get(value.name)
    if isinstance(value, EnumValue):
        return value.name
    if isinstance(value, list):
        return [_arg(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: _arg(v, variables) for k, v in value.items()}
    return value


def _commit(repo: FakeRepo, ref: str) -> Node:
    sha = repo.sha(ref)
    return Node(
        "Commit",
        {
            "oid": sha,
            "abbreviatedOid": sha[:7],
            "id": "C_" + sha[:20],
            "commitUrl": f"https://github.com/{repo.full_name}/commit/{sha}",
            "url": f"https://github.com/{repo.full_name}/commit/{sha}",
            "committedDate": "2024-01-01T00:00:00Z",
            "message": f"Update {ref}",
        },
    )


def _ref(repo: FakeRepo, name: str) -> Node:
    prefix = "refs/tags/" if name in repo.tags else "refs/heads/"
    return Node(
        "Ref",
        {
            "name": name,
            "prefix": prefix,
            "id": "REF_" + repo.sha(name)[:16],
            "target": _commit(repo, name),
        },
    )


def _object(repo: FakeRepo, expression: str) -> Node | None:
    """``rev:path`` -> Blob or Tree, ``rev`` -> Commit; ``None`` (no error, as GitHub) if absent."""
    rev, sep, path = expression.partition(":")
    ref = repo.default_branch if rev in {"", "HEAD"} else repo.resolve_ref(rev)
    if ref is None:
        return None
    if not sep:
        return _commit(repo, ref)
    kind = repo.kind_at(ref, path)
    if kind is None:
        return None
    oid = repo.sha(f"{ref}:{path}")
    common = {
        "oid": oid,
        "abbreviatedOid": oid[:7],
        "id": "O_" + oid[:20],
        "commitUrl": f"https://github.com/{repo.full_name}/commit/{repo.sha(ref)}",
    }
    if kind == "file":
        return Node(
            "Blob",
            {**common, "byteSize": 0, "isBinary": False, "isTruncated": False, "text": ""},
        )
    base = path.strip("/")
    entries = [
        Node(
            "TreeEntry",
            {
                "name": name,
                "path": f"{base}/{name}" if base else name,
                "type": "blob" if kind == "file" else "tree",
                "mode": 33188 if kind == "file" else 16384,
                "oid": repo.sha(f"{ref}:{base}/{name}"),
            },
        )
        for name, kind in repo.listing(ref, base)
    ]
    return Node("Tree", {**common, "entries": entries})


def _repository(repo: FakeRepo) -> Node:
    encoded = base64.b64encode(f"010:Repository{repo.id}".encode()).decode()
    owner_type = "Organization"
    return Node(
        "Repository",
        {
            "name": repo.name,
            "nameWithOwner": repo.full_name,
            "url": f"https://github.com/{repo.full_name}",
            "id": encoded,
            "databaseId": repo.id,
            "description": repo.description,
            "homepageUrl": None,
            "isArchived": repo.archived,
            "isPrivate": repo.private,
            "isDisabled": repo.disabled,
            "isFork": repo.fork,
            "isEmpty": not any(repo.refs.values()),
            "isLocked": False,
            "visibility": "PRIVATE" if repo.private else "PUBLIC",
            "stargazerCount": 0,
            "owner": Node(
                owner_type,
                {
                    "login": repo.owner,
                    "id": "O_" + repo.owner,
                    "url": f"https://github.com/{repo.owner}",
                },
            ),
            "defaultBranchRef": _ref(repo, repo.default_branch),
            "ref": lambda args: (
                _ref(repo, name)
                if (name := repo.resolve_ref(str(args.get("qualifiedName", ""))))
                else None
            ),
            "object": lambda args: _object(repo, str(args.get("expression") or args.get("oid"))),
        },
    )


def _resolve_field(parent: Node, sel: Field, path: list[Any], ctx: Context) -> Any:
    args = {k: _arg(v, ctx.variables) for k, v in sel.arguments.items()}
    if parent.type_name == "Query" and sel.name == "repository":
        owner, name = str(args.get("owner")), str(args.get("name"))
        found = ctx.world.find(f"{owner}/{name}")
        follow = args.get("followRenames", True)
        if (
            found is None
            or not ctx.world.visible(found[0], ctx.token)
            or (found[1] and follow is False)
        ):
            ctx.errors.append(
                {
                    "type": "NOT_FOUND",
                    "path": path,
                    "locations": _location(sel.line, sel.column),
                    "message": f"Could not resolve to a Repository with the name '{owner}/{name}'.",
                }
            )
            return None
        return _repository(found[0])
    if parent.type_name == "Query" and sel.name == "rateLimit":
        bucket = ctx.world.quota(ctx.token, "graphql")
        reset = datetime.fromtimestamp(bucket.reset, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return Node(
            "RateLimit",
            {
                "limit": bucket.limit,
                "cost": ctx.cost,
                "remaining": bucket.remaining,
                "resetAt": reset,
                "used": bucket.used,
                "nodeCount": 1,
            },
        )
    value = parent.values.get(sel.name)
    return value(args) if callable(value) else value


def _select(
    node: Node, selections: list[Selection], path: list[Any], ctx: Context
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for sel in selections:
        if isinstance(sel, FragmentSpread):
            condition, inner = ctx.doc.fragments[sel.name]
            if _applies(condition, node.type_name):
                out.update(_select(node, inner, path, ctx))
            continue
        if isinstance(sel, InlineFragment):
            if _applies(sel.type_condition, node.type_name):
                out.update(_select(node, sel.selections, path, ctx))
            continue
        if sel.name == "__typename":
            out[sel.key] = node.type_name
            continue
        here = [*path, sel.key]
        out[sel.key] = _complete(_resolve_field(node, sel, here, ctx), sel, here, ctx)
    return out


def _complete(value: Any, sel: Field, path: list[Any], ctx: Context) -> Any:
    if isinstance(value, Node):
        return _select(value, sel.selections, path, ctx)
    if isinstance(value, list):
        return [_complete(v, sel, [*path, i], ctx) for i, v in enumerate(value)]
    return value


def execute(
    world: GitHubWorld,
    token: str | None,
    query: str,
    variables: dict[str, Any] | None,
    operation_name: str | None = None,
    cost: int = 1,
) -> dict[str, Any]:
    """The JSON answer to one query: ``{"data": …}`` plus ``"errors"`` when any, or errors only."""
    try:
        doc = parse(query)
    except GraphQLSyntaxError as exc:
        return {"errors": [{"message": exc.message, "locations": _location(exc.line, exc.column)}]}
    operations = [o for o in doc.operations if operation_name in {None, o.name}]
    if len(operations) != 1:
        message = (
            "An operation name is required"
            if len(doc.operations) > 1 and operation_name is None
            else f'No operation named "{operation_name}"'
        )
        return {"errors": [{"message": message}]}
    operation = operations[0]
    if operation.kind != "query":
        return {"errors": [{"message": f"Schema is not configured for {operation.kind}s"}]}
    static = validate(doc, operation)
    if static:
        return {"errors": static}
    merged = {**operation.defaults, **(variables or {})}
    ctx = Context(world=world, token=token, variables=merged, doc=doc, cost=cost)
    data = _select(Node("Query", {}), operation.selections, [], ctx)
    answer: dict[str, Any] = {"data": data}
    if ctx.errors:
        answer["errors"] = ctx.errors
    return answer
