"""Request bodies read with a size and a nesting limit, so that a hostile body is a 400 and never a 500.

Python's json module recurses once per level: a body nested a few thousand levels deep raises
RecursionError, whichever endpoint it is sent to. The depth is counted first by a scan in C-speed
regular expressions, and the body is parsed only when it is shallow enough.
"""

import re
from itertools import accumulate

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

MAX_DEPTH = 64

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """Return how deeply the arrays and objects of a JSON text nest (brackets inside strings do not count)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def read_limited(stream) -> bytes:
    """Read a request body, refusing one larger than DATA_UPLOAD_MAX_MEMORY_SIZE."""
    # DRF 3.18 hands these parsers `request.body`, which Django has already measured against the limit;
    # earlier versions hand them the raw stream, which nothing measures.
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(body) > limit:
        raise ParseError(_("The request body is larger than %(limit)d bytes.") % {"limit": limit})
    return body


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, which first refuses a body that is too large or nested more than MAX_DEPTH deep."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = read_limited(stream).decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc
        if json_depth(text) > MAX_DEPTH:
            raise ParseError(_("The JSON body nests deeper than %(depth)d levels.") % {"depth": MAX_DEPTH})
        try:
            parse_constant = json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from exc


class FormParser(parsers.FormParser):
    """DRF's form parser, which refuses a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        return QueryDict(read_limited(stream), encoding=encoding)


DEFAULT_PARSER_CLASSES = [JSONParser, FormParser, parsers.MultiPartParser]
