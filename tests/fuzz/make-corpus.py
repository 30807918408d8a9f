#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/parser) from the
rows of tests/http/tst_requestparser.cpp and tests/capture/tst_listener.cpp, plus
a few streams those tables do not hold (pipelining, Expect, chunk floods).

Each seed is one control byte (see tests/fuzz/fuzzinput.h) and the bytes of a
request. A row's input is a C++ expression; this script evaluates the small part
of C++ the tables use: string and character literals, raw(...), QByteArray(...),
.repeated(n), +, -, * and the few local variables the tables declare. Rows it cannot
evaluate are listed and skipped.

    tests/fuzz/make-corpus.py            # rewrites tests/fuzz/corpus/parser
"""

import hashlib
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "corpus" / "parser"
SOURCES = [ROOT / "tests/http/tst_requestparser.cpp", ROOT / "tests/capture/tst_listener.cpp"]

# Control bytes: default limits in one piece; the tight profile (tst_requestparser's
# `tight`); default limits arriving in pieces of 3, 17 and 1 bytes.
WHOLE = bytes([0x00])
TIGHT = bytes([0x08])
PIECES = bytes([0x03, 2, 16, 0])

ENV = {
    "post": b"POST / HTTP/1.1\r\nHost: a\r\n",
    "chunked": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
    "lineLimit": 32,
}

ESCAPES = {"n": b"\n", "r": b"\r", "t": b"\t", "\\": b"\\", '"': b'"', "'": b"'", "?": b"?", "a": b"\a",
           "b": b"\b", "f": b"\f", "v": b"\v"}


def unescape(body):
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("latin-1")
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "x":
            j = i + 2
            while j < len(body) and body[j] in "0123456789abcdefABCDEF":
                j += 1
            out.append(int(body[i + 2:j], 16) & 0xFF)
            i = j
        elif nxt in "01234567":
            j = i + 1
            while j < len(body) and j < i + 4 and body[j] in "01234567":
                j += 1
            out.append(int(body[i + 1:j], 8) & 0xFF)
            i = j
        else:
            out += ESCAPES[nxt]
            i += 2
    return bytes(out)


TOKEN = re.compile(r'\s+|<<|"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|\d+|[A-Za-z_][A-Za-z_0-9:]*|.', re.S)


def tokenize(text):
    return [t for t in TOKEN.findall(text) if not t.isspace()]


class Parser:
    """Recursive descent over the tokens of one argument list."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected=None):
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ValueError(f"expected {expected!r}, found {token!r}")
        self.pos += 1
        return token

    def expression(self):
        value = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()
            right = self.term()
            if op == "+":
                value = value + right if type(value) is type(right) else None
                if value is None:
                    raise ValueError("mixed + operands")
            else:
                value = value - right
        return value

    def term(self):
        value = self.postfix()
        while self.peek() == "*":
            self.take("*")
            value = value * self.postfix()
        return value

    def postfix(self):
        value = self.primary()
        while self.peek() == ".":
            self.take(".")
            method = self.take()
            self.take("(")
            argument = self.expression()
            self.take(")")
            if method != "repeated":
                raise ValueError(f"unknown method {method}")
            value = value * argument
        return value

    def primary(self):
        token = self.take()
        if token.startswith('"'):
            value = unescape(token[1:-1])
            while self.peek() is not None and self.peek().startswith('"'):
                value += unescape(self.take()[1:-1])
            return value
        if token.startswith("'"):
            return unescape(token[1:-1])[0]
        if token.isdigit():
            return int(token)
        if token == "(":
            value = self.expression()
            self.take(")")
            return value
        if token in ("raw", "QByteArray"):
            self.take("(")
            if self.peek() == ")":
                self.take(")")
                return b""
            first = self.expression()
            if self.peek() == ",":
                self.take(",")
                second = self.expression()
                self.take(")")
                return bytes([second]) * first
            self.take(")")
            return first
        if token in ENV:
            return ENV[token]
        raise ValueError(f"unknown name {token}")


def arguments_after(text, start):
    """The text of a parenthesised argument list starting at text[start] == '('."""
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
        i += 1
    raise ValueError("unbalanced parentheses")


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def rows(text):
    """(name, input bytes, uses tight limits) for each row of a data table."""
    # row("name", input, ...) in tst_requestparser; QTest::newRow("name") << input << ... in tst_listener.
    for match in re.finditer(r"\brow\(|QTest::newRow\(", text):
        start = match.end() - 1
        try:
            args = arguments_after(text, start)
        except ValueError:
            continue
        tokens = tokenize(args)
        if not tokens or not tokens[0].startswith('"'):
            continue
        name = unescape(tokens[0][1:-1]).decode("latin-1")
        if match.group(0).startswith("row"):
            if len(tokens) < 3 or tokens[1] != ",":
                continue
            rest = tokens[2:]
        else:
            tail = text[start + len(args) + 2:]
            stream = tail[:tail.find(";")]
            rest = tokenize(stream)
            if not rest or rest[0] != "<<":
                continue
            rest = rest[1:]
        parser = Parser(rest)
        try:
            value = parser.expression()
        except (ValueError, IndexError, KeyError) as error:
            yield name, None, str(error)
            continue
        if not isinstance(value, bytes):
            continue
        tight = "tight" in rest[parser.pos:]
        yield name, value, tight


def extra_seeds():
    pipelined = (b"GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
                 b"POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                 b"\r\nPUT /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                 b"GET /fo")
    flood = (b"POST /flood HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
             + b"1\r\nx\r\n" * 200 + b"0\r\n\r\n")
    hook_body = (b'{"action":"created","code_challenge":{"id":"50654ddff44f800200000001",'
                 b'"created_by_id":"508f2708b3be0c0200000002"}}')
    codewars = (b"POST /hooks?source=codewars HTTP/1.1\r\nHost: 127.0.0.1:8790\r\nUser-Agent: Codewars Hookbot\r\n"
                b"Content-Type: application/json\r\nX-Webhook-Event: code_challenge\r\nX-Webhook-Secret: s3cret\r\n"
                b"Content-Length: " + str(len(hook_body)).encode() + b"\r\n\r\n" + hook_body)
    return [
        ("pipelined three and a partial", WHOLE, pipelined),
        ("pipelined in pieces", PIECES, pipelined),
        ("pipelined with a slow store", bytes([0x23, 4, 9, 30]), pipelined),
        ("pipelined burst then a trickle with a slow store", bytes([0x22, 120, 0]), pipelined + pipelined),
        ("pipelined and half-closed", bytes([0x40]), pipelined),
        ("pipelined in pieces with a slow store and half-closed", bytes([0x63, 4, 9, 30]), pipelined),
        ("pipelined after a closing request",
         WHOLE, b"GET /a HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n"),
        ("pipelined http/1.0 keep-alive",
         WHOLE, b"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\nGET /c HTTP/1.0\r\n\r\n"),
        ("expect continue then body in pieces",
         PIECES, b"POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody"),
        ("expect continue chunked",
         PIECES, b"POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"2\r\nok\r\n0\r\n\r\n"),
        ("flood of one-byte chunks", WHOLE, flood),
        ("flood of one-byte chunks in pieces", bytes([0x02, 5, 6]), flood),
        ("codewars hook", WHOLE, codewars),
        ("codewars hook in pieces", PIECES, codewars),
        ("codewars hook with a slow store twice", bytes([0x21, 100]), codewars + codewars),
    ]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    written = set()
    skipped = []

    def write(name, control, payload):
        data = control + payload
        digest = hashlib.sha1(data).hexdigest()[:8]
        if digest in written:
            return
        written.add(digest)
        (OUT / f"{slug(name)}-{digest}").write_bytes(data)

    for source in SOURCES:
        prefix = source.stem.replace("tst_", "")
        for name, value, tight in rows(source.read_text(encoding="latin-1")):
            if value is None:
                skipped.append(f"{prefix}: {name}: {tight}")
                continue
            write(f"{prefix} {name}", TIGHT if tight else WHOLE, value)
    for name, control, payload in extra_seeds():
        write(name, control, payload)
    print(f"{len(written)} seeds in {OUT.relative_to(ROOT)}")
    for line in skipped:
        print(f"skipped {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
